import { Admin } from '@platformatic/kafka';
import { parseBrokers, type Brokers } from '../brokers.js';
import { describeError } from '../errors.js';
import { consoleLogger, type Logger } from '../logger.js';
import { retry, type BackoffOptions } from '../retry/backoff.js';

export interface WaitForKafkaOptions {
  readonly signal?: AbortSignal;
  /** The most connection attempts. Unlimited by default: a service waits for its broker. */
  readonly attempts?: number;
  readonly backoff?: Partial<BackoffOptions>;
  readonly clientId?: string;
}

/**
 * Resolves once a broker answers a metadata request, with the number of brokers in the cluster.
 * Until then it logs `waiting for Kafka at <brokers> (attempt n, next in Xs)` and tries again
 * with backoff, forever unless `attempts` says otherwise or `signal` aborts.
 */
export async function waitForKafka(
  brokers: Brokers,
  logger: Logger = consoleLogger,
  options: WaitForKafkaOptions = {},
): Promise<number> {
  const bootstrapBrokers = parseBrokers(brokers);
  const where = bootstrapBrokers.join(',');
  const count = await retry(
    async () => {
      // A fresh client per attempt, with its own retries off: this loop is the only one waiting.
      const admin = new Admin({
        clientId: options.clientId ?? 'kafkadog-wait',
        bootstrapBrokers,
        retries: 0,
        connectTimeout: 2_000,
      });
      try {
        return (await admin.metadata({ topics: [] })).brokers.size;
      } finally {
        await admin.close().catch(() => {});
      }
    },
    {
      shouldRetry: () => true,
      ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      backoff: { baseMs: 500, factor: 2, maxMs: 10_000, jitter: 0.2, ...options.backoff },
      onRetry: ({ attempt, delayMs, error }) =>
        logger.warn(
          `waiting for Kafka at ${where} (attempt ${attempt}, next in ${(delayMs / 1000).toFixed(1)}s)`,
          { error: describeError(error) },
        ),
    },
  );
  logger.info(`connected to Kafka at ${where}`, { brokers: count });
  return count;
}
