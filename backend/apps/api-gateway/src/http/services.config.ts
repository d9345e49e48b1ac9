import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

/** The other services of the stack, at their DESIGN.md ports. */
export const DEFAULT_SERVICE_URLS: Readonly<Record<string, string>> = {
  'order-saga': 'http://127.0.0.1:3002',
  'payment-service': 'http://127.0.0.1:3003',
  'inventory-service': 'http://127.0.0.1:3004',
  'notification-service': 'http://127.0.0.1:3005',
  'analytics-service': 'http://127.0.0.1:3006',
};

/** `order-saga=http://127.0.0.1:3002,payment-service=http://…`: one entry per service. */
const ServiceUrlList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at), entry.slice(at + 1)] as const;
      }),
  )
  .pipe(
    z.array(
      z.tuple([
        z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected <service>=<url>'),
        z.url().transform((url) => url.replace(/\/+$/, '')),
      ]),
    ),
  )
  .transform((entries) => Object.fromEntries(entries));

const servicesEnv = z.object({
  /** Where the gateway finds the other services' /health and /metrics. */
  SERVICE_URLS: ServiceUrlList.default(DEFAULT_SERVICE_URLS),
});

export interface ServicesConfig {
  /** Base URL per service name, in the order given. */
  readonly urls: Readonly<Record<string, string>>;
}

export const SERVICES_CONFIG = Symbol('SERVICES_CONFIG');

export function servicesConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServicesConfig {
  return { urls: parseEnv(servicesEnv, env).SERVICE_URLS };
}
