import { describeError, isRetriable, KafkadogError, retry, type Logger } from '@kafkadog/kafka';
import type { CheckStatus } from '../http/health-registry.js';

export interface BackgroundStart {
  /** `starting` until `start` resolved (`up`), or failed with an error not worth retrying (`down`). */
  readonly status: CheckStatus;
  /** Stops trying and waits for the attempt in progress. */
  stop(): Promise<void>;
}

/**
 * Starts what a service needs from Kafka (state to load, groups to join) without holding up its
 * HTTP server: /health answers `starting` meanwhile. A transient failure (Kafka unreachable, a
 * topic not created yet) is logged and tried again with backoff, never a crash. `start` gets a
 * signal that aborts on `stop()`, for a step that could otherwise wait forever (a catch-up).
 */
export function startInBackground(
  what: string,
  start: (signal: AbortSignal) => Promise<void>,
  logger: Logger,
): BackgroundStart {
  const abort = new AbortController();
  let status: CheckStatus = 'starting';
  const running = retry(() => start(abort.signal), {
    shouldRetry: (error) => isRetriable(error),
    signal: abort.signal,
    backoff: { baseMs: 500, factor: 2, maxMs: 10_000, jitter: 0.2 },
    onRetry: ({ attempt, delayMs, error }) =>
      logger.warn(`could not start ${what}; trying again`, {
        attempt,
        nextInMs: delayMs,
        error: describeError(error),
      }),
  }).then(
    () => {
      status = 'up';
      logger.info(`${what} started`);
    },
    (error: unknown) => {
      if (abort.signal.aborted) return;
      status = 'down';
      logger.error(`could not start ${what}`, { error: describeError(error) });
    },
  );
  return {
    get status() {
      return status;
    },
    async stop() {
      abort.abort();
      await running;
    },
  };
}

/**
 * Waits for `promise`, or rejects with KafkadogError ABORTED as soon as `signal` aborts: e.g. a
 * start waiting for a tail to catch up while Kafka is away, when the service is being stopped.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function aborted(): KafkadogError {
  return new KafkadogError('ABORTED', 'stopped while starting');
}
