import { describeError } from '@kafkadog/kafka';
import { ApiError } from './api-error.js';

/** What the gateway knows of its Kafka connection (KafkaClients, checked every few seconds). */
export interface KafkaConnection {
  readonly connected: boolean;
}

/**
 * Runs a write to Kafka; a failure is 503 `kafka_unavailable` saying what was not written. While
 * Kafka is known not to answer (GET /health says so) the answer comes at once, instead of after
 * the producer's retries, which are there to ride out a broker failover, not an outage.
 */
export async function writingToKafka<T>(
  kafka: KafkaConnection,
  what: string,
  write: () => Promise<T>,
): Promise<T> {
  if (!kafka.connected) {
    throw ApiError.unavailable(
      'kafka_unavailable',
      `${what} was not written: Kafka does not answer (see GET /health); try again once it does`,
    );
  }
  try {
    return await write();
  } catch (error) {
    throw ApiError.unavailable(
      'kafka_unavailable',
      `${what} could not be written to Kafka: ${describeError(error)}`,
      error,
    );
  }
}

/** Runs a read from Kafka; a failure is 503 `kafka_unavailable` saying what could not be read. */
export async function readingFromKafka<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw ApiError.unavailable(
      'kafka_unavailable',
      `could not read ${what} from Kafka: ${describeError(error)}`,
      error,
    );
  }
}
