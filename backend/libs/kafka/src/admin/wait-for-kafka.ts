import { Admin } from '@platformatic/kafka';
import { parseBrokers, type Brokers } from '../brokers.js';
import {
  clientConnection,
  describeConnection,
  loginRefused,
  processKafkaSecurity,
} from '../connection/index.js';
import { describeError, isAuthenticationError, KafkadogError } from '../errors.js';
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
  const security = processKafkaSecurity();
  const count = await retry(
    // A fresh client per attempt, with its own retries off: this loop is the only one waiting.
    () => askBrokers(brokers, options.clientId ?? 'kafkadog-wait'),
    {
      // A refused login fails the same way on every attempt: stop at once and say what to fix.
      shouldRetry: (error) =>
        !(error instanceof KafkadogError && error.code === 'KAFKA_AUTHENTICATION_FAILED'),
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
  logger.info(`connected to Kafka at ${describeConnection(where, security)}`, { brokers: count });
  return count;
}

/**
 * One metadata request on a fresh connection, no retries: the number of brokers, or a rejection
 * when no broker answers within `timeoutMs`.
 */
export async function askBrokers(
  brokers: Brokers,
  clientId: string,
  timeoutMs = 4_000,
): Promise<number> {
  const admin = new Admin({
    clientId,
    ...clientConnection(brokers),
    retries: 0,
    connectTimeout: Math.min(2_000, timeoutMs),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      admin.metadata({ topics: [] }).then(
        (metadata) => metadata.brokers.size,
        (error: unknown) => {
          throw isAuthenticationError(error)
            ? loginRefused(parseBrokers(brokers).join(','), processKafkaSecurity(), error)
            : error;
        },
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new KafkadogError('KAFKA_TIMEOUT', `no broker answered in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await admin.close().catch(() => {});
  }
}
