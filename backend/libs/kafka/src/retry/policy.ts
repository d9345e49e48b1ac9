import { type BackoffOptions, backoffDelay } from './backoff.js';

/**
 * How a failed event is retried through the retry topic. `maxAttempts` counts handler calls, the
 * first delivery included: 4 means the first try and up to three retries, then the DLQ.
 */
export interface RetryPolicy extends BackoffOptions {
  readonly maxAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseMs: 1000,
  factor: 2,
  maxMs: 30_000,
  jitter: 0.2,
};

/** When retry number `retry` (1 = the first retry) of an event that failed at `failedAt` is due. */
export function retryDueAt(retry: number, policy: RetryPolicy, failedAt = Date.now()): number {
  return failedAt + backoffDelay(retry, policy);
}
