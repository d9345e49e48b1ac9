import { describeError, KafkadogError } from '../errors.js';

export interface BackoffOptions {
  /** The delay before the first retry. */
  readonly baseMs: number;
  /** How much each further delay grows, e.g. 2 doubles it. */
  readonly factor: number;
  /** The cap of the exponential part; with jitter a delay can reach maxMs * (1 + jitter). */
  readonly maxMs: number;
  /** The random share added on top, between 0 and 1: 0.2 adds up to 20 %. */
  readonly jitter: number;
}

export const defaultBackoff: BackoffOptions = {
  baseMs: 1000,
  factor: 2,
  maxMs: 30_000,
  jitter: 0.2,
};

/** The smallest and largest delay `backoffDelay` can return for an attempt. */
export function backoffBounds(
  attempt: number,
  options: BackoffOptions,
): { min: number; max: number } {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new KafkadogError('INVALID_ATTEMPT', `attempt must be an integer >= 1, got ${attempt}`);
  }
  const exponential = Math.min(options.maxMs, options.baseMs * options.factor ** (attempt - 1));
  return { min: exponential, max: exponential * (1 + options.jitter) };
}

/**
 * The delay before retry `attempt` (1 = the first retry): baseMs * factor^(attempt-1), capped at
 * maxMs, plus a random jitter of up to `jitter` times that. The jitter is added on top rather
 * than taken off (as "full" or "equal" jitter do) so the exponential value stays a lower bound:
 * a retry is never due earlier than the policy promises, which the tests assert, while retries
 * of many failed records still spread out instead of arriving together.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const { min, max } = backoffBounds(attempt, options);
  return Math.round(min + random() * (max - min));
}

/** Resolves after `ms`, or rejects with KafkadogError ABORTED as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Sleeps until the wall clock reads `epochMs` or later; a timer may fire a little early. */
export async function sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void> {
  for (let left = epochMs - Date.now(); left > 0; left = epochMs - Date.now()) {
    await sleep(left, signal);
  }
  if (signal?.aborted) throw abortError(signal);
}

function abortError(signal?: AbortSignal): KafkadogError {
  return new KafkadogError('ABORTED', 'aborted while waiting', { cause: signal?.reason });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof KafkadogError && error.code === 'ABORTED';
}

export interface RetryInfo {
  /** The attempt that just failed (1 = the first call). */
  readonly attempt: number;
  /** How long until the next attempt. */
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryOptions {
  /** Whether a failure is worth another attempt, e.g. `isRetriable`. */
  readonly shouldRetry: (error: unknown, attempt: number) => boolean;
  /** The most calls in total, the first included. Unlimited by default. */
  readonly attempts?: number;
  readonly backoff?: Partial<BackoffOptions>;
  readonly onRetry?: (info: RetryInfo) => void;
  /** Aborting stops the waiting between attempts: retry then rejects with KafkadogError ABORTED. */
  readonly signal?: AbortSignal;
  readonly random?: () => number;
}

/**
 * Calls `fn` until it succeeds, waiting `backoffDelay` between attempts. Gives up, rethrowing the
 * last error, when `shouldRetry` says no or `attempts` calls have failed.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T> | T,
  options: RetryOptions,
): Promise<T> {
  const backoff = { ...defaultBackoff, ...options.backoff };
  const attempts = options.attempts ?? Number.POSITIVE_INFINITY;
  for (let attempt = 1; ; attempt++) {
    // An abort stops the waiting, not the attempt under way: on shutdown the first try of a
    // commit or of a dead-letter write still happens, only no further tries.
    try {
      return await fn(attempt);
    } catch (error) {
      if (isAbortError(error) || attempt >= attempts || !options.shouldRetry(error, attempt)) {
        throw error;
      }
      const delayMs = backoffDelay(attempt, backoff, options.random);
      options.onRetry?.({ attempt, delayMs, error });
      try {
        await sleep(delayMs, options.signal);
      } catch (abort) {
        throw new KafkadogError('ABORTED', `aborted while retrying: ${describeError(error)}`, {
          cause: abort,
        });
      }
    }
  }
}
