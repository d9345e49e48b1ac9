import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

/** The services behind the gateway, each with the URL of its HTTP port (/health, /metrics). */
export interface ServiceUrl {
  readonly name: string;
  readonly url: string;
}

export const DEFAULT_SERVICE_URLS =
  'order-saga=http://127.0.0.1:3002,payment-service=http://127.0.0.1:3003,' +
  'inventory-service=http://127.0.0.1:3004,notification-service=http://127.0.0.1:3005,' +
  'analytics-service=http://127.0.0.1:3006';

/** `name=url,name=url`: every entry a name, an `=` and an http(s) URL; names unique. */
export const ServiceUrls = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[a-z0-9-]+=\S+$/,
          'each entry must be name=url, e.g. order-saga=http://127.0.0.1:3002',
        )
        .transform((entry) => {
          const at = entry.indexOf('=');
          return { name: entry.slice(0, at), url: entry.slice(at + 1).replace(/\/+$/, '') };
        })
        .pipe(z.object({ name: z.string(), url: z.url({ protocol: /^https?$/ }) })),
    ),
  )
  .refine((services) => new Set(services.map((s) => s.name)).size === services.length, {
    message: 'a service is named twice',
  });

const servicesEnv = z.object({
  SERVICE_URLS: ServiceUrls.default(() => ServiceUrls.parse(DEFAULT_SERVICE_URLS)),
});

export interface ServicesConfig {
  readonly services: readonly ServiceUrl[];
}

export const SERVICES_CONFIG = Symbol('SERVICES_CONFIG');

export function servicesConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServicesConfig {
  return { services: parseEnv(servicesEnv, env).SERVICE_URLS };
}
