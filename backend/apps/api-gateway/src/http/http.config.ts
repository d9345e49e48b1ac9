import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

/** Requests with a larger body get 413 before any of their bytes are parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const OriginList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url()));

const httpEnv = z.object({
  /** Browser origins allowed to call the API: the dashboard's. */
  CORS_ORIGINS: OriginList.default(['http://localhost:3000', 'http://127.0.0.1:3000']),
});

export interface HttpConfig {
  readonly corsOrigins: readonly string[];
}

export const HTTP_CONFIG = Symbol('HTTP_CONFIG');

export function httpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HttpConfig {
  return { corsOrigins: parseEnv(httpEnv, env).CORS_ORIGINS };
}
