import type { ErrorBody } from './api-error.js';

/** Methods that only read: a browser on any page may send them (CORS still hides the answer). */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request may change the system. A page open in the learner's browser can send a
 * "simple" cross-origin POST (a form, or fetch with a text/plain body) without any CORS
 * preflight, and this gateway parses every body as JSON: without this check any web page could
 * place orders, flip fault switches or reset consumer groups on the local Kafka. Browsers always
 * send `Origin` on such requests; tools such as curl send none, and are allowed.
 */
export function forbiddenOrigin(
  method: string,
  origin: string | undefined,
  allowed: readonly string[],
): ErrorBody | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  if (origin === undefined || allowed.includes(origin)) return undefined;
  return {
    error: 'forbidden_origin',
    message:
      `a browser page at ${origin} may not change kafkadog; only the dashboard ` +
      `(${allowed.join(', ') || 'none configured'}) may. Set CORS_ORIGINS to allow another origin.`,
  };
}
