import { findErrorBy, GenericError, NetworkError, TimeoutError } from '@platformatic/kafka';

export interface KafkadogErrorOptions {
  cause?: unknown;
  /** Whether trying the same thing again later can succeed. Defaults to false. */
  retriable?: boolean;
}

/** Every error this library throws: a stable code to branch on, a message for people, a cause. */
export class KafkadogError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: KafkadogErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KafkadogError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

// Node's codes for a peer that is unreachable for now: the same call can work a moment later.
const transientSystemErrors = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Whether an error is worth another attempt. A KafkadogError says so itself; the Kafka client's
 * errors carry `canRetry` (a timeout is transient too, although the client marks it otherwise);
 * Node's network errors are transient. Anything else, such as a bug or invalid input, is not:
 * retrying it would fail the same way, only later.
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof KafkadogError) return error.retriable;
  if (!(error instanceof Error)) return false;
  if (GenericError.isGenericError(error)) {
    if (error instanceof TimeoutError) return true;
    return NetworkError.isRetryable(error) || findErrorBy(error, 'canRetry', true) !== null;
  }
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && transientSystemErrors.has(code);
}

/** A one-line description of any thrown value, for logs and record headers. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = typeof code === 'string' ? `${code}: ${error.message}` : error.message;
    return text.replace(/\s+/g, ' ').trim();
  }
  return String(error);
}
