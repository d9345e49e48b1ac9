import { describeError } from '@kafkadog/kafka';
import { ApiError } from './api-error.js';

/** Runs a write to Kafka; a failure is 503 `kafka_unavailable` saying what was not written. */
export async function writingToKafka<T>(what: string, write: () => Promise<T>): Promise<T> {
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
