import { DlqReasons, type DlqReason, type KafkadogEvent } from '@kafkadog/contracts';
import { describeError } from '../errors.js';
import type { IdempotencyGuard } from '../idempotency/index.js';
import type { Logger } from '../logger.js';
import type { KafkaMetrics } from '../metrics/index.js';
import type { EventProducer } from '../producer/index.js';
import {
  dlqHeaders,
  retryHeaders,
  type ConsumedRecord,
  type SourcePosition,
} from '../records/index.js';
import { retry } from '../retry/backoff.js';
import { retryDueAt, type RetryPolicy } from '../retry/policy.js';
import type { EventHandler, EventMeta } from './types.js';

export interface ProcessorOptions {
  /** The owning service's group: named in retry and dead-letter records and in the metrics. */
  readonly groupId: string;
  readonly handler: EventHandler;
  readonly producer: EventProducer;
  readonly retry: RetryPolicy | false;
  readonly guard: IdempotencyGuard | undefined;
  readonly dlqTopic: string;
  readonly retryTopic: string;
  readonly isRetriable: (error: unknown) => boolean;
  readonly logger: Logger;
  readonly metrics: KafkaMetrics;
}

/** A record being processed: the bytes to forward, and where they were first read. */
export interface Delivery {
  readonly record: ConsumedRecord;
  readonly source: SourcePosition;
  /** Retries already behind it: 0 on the first delivery. */
  readonly retries: number;
}

export type Outcome = 'handled' | 'duplicate' | 'retrying' | 'dead-lettered';

// Writing a retry or dead-letter record, or asking the guard, must eventually succeed: the record
// stays uncommitted (and its partition waits) until it does, instead of being dropped.
const persistBackoff = { baseMs: 500, factor: 2, maxMs: 30_000, jitter: 0.2 };

/** What happens to a valid event: idempotency check, handler, then retry or dead letter. */
export class EventProcessor {
  readonly #options: ProcessorOptions;

  constructor(options: ProcessorOptions) {
    this.#options = options;
  }

  async handle(
    event: KafkadogEvent,
    meta: EventMeta,
    delivery: Delivery,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const { guard, handler, metrics, groupId } = this.#options;
    const labels = { topic: delivery.source.topic, group: groupId };
    if (
      guard &&
      (await this.#persist('ask the idempotency guard', signal, () => guard.isApplied(event, meta)))
    ) {
      metrics.duplicatesSuppressed.inc(labels);
      return 'duplicate';
    }
    try {
      await handler(event, meta);
    } catch (error) {
      metrics.failed.inc(labels);
      return this.#routeFailure(event, meta, delivery, error, signal);
    }
    if (guard) {
      // Only this step is repeated on failure: the handler's effects are already applied.
      await this.#persist('mark the event applied', signal, () => guard.markApplied(event, meta));
    }
    return 'handled';
  }

  async deadLetter(
    delivery: Delivery,
    reason: DlqReason,
    error: string,
    signal: AbortSignal,
  ): Promise<'dead-lettered'> {
    const { producer, dlqTopic, groupId, metrics, logger } = this.#options;
    const { record, source } = delivery;
    await this.#persist(`write to ${dlqTopic}`, signal, () =>
      producer.sendRaw({
        topic: dlqTopic,
        key: record.key,
        value: record.value,
        headers: dlqHeaders(record.headers, {
          reason,
          error,
          group: groupId,
          source,
          ...(delivery.retries > 0 ? { retries: delivery.retries } : {}),
        }),
      }),
    );
    metrics.deadLettered.inc({ topic: source.topic, group: groupId, reason });
    logger.warn('record dead-lettered', {
      group: groupId,
      reason,
      error,
      topic: source.topic,
      partition: source.partition,
      offset: source.offset,
      dlq: dlqTopic,
    });
    return 'dead-lettered';
  }

  async #routeFailure(
    event: KafkadogEvent,
    meta: EventMeta,
    delivery: Delivery,
    error: unknown,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const {
      retry: policy,
      isRetriable,
      producer,
      retryTopic,
      groupId,
      metrics,
      logger,
    } = this.#options;
    const message = describeError(error);
    const retriable = isRetriable(error);
    if (!retriable || !policy || meta.attempt >= policy.maxAttempts) {
      const reason = retriable ? DlqReasons.retriesExhausted : DlqReasons.nonRetriable;
      return this.deadLetter(delivery, reason, message, signal);
    }
    // Attempt n failed, so this is retry n.
    const retryNumber = meta.attempt;
    const failedAt = Date.now();
    const notBefore = retryDueAt(retryNumber, policy, failedAt);
    const { record, source } = delivery;
    await this.#persist(`write to ${retryTopic}`, signal, () =>
      producer.sendRaw({
        topic: retryTopic,
        // Stamped with the failure its delay counts from: retry-not-before minus the record's
        // timestamp is exactly the backoff, however long the write itself took.
        timestamp: failedAt,
        key: record.key,
        value: record.value,
        headers: retryHeaders(record.headers, {
          retry: retryNumber,
          notBefore,
          source,
          key: meta.key,
          error: message,
          group: groupId,
          maxAttempts: policy.maxAttempts,
        }),
      }),
    );
    metrics.retried.inc({ topic: source.topic, group: groupId });
    logger.warn('handler failed, event scheduled for a retry', {
      group: groupId,
      event: event.id,
      type: event.type,
      attempt: meta.attempt,
      maxAttempts: policy.maxAttempts,
      dueAt: new Date(notBefore).toISOString(),
      error: message,
    });
    return 'retrying';
  }

  #persist<T>(what: string, signal: AbortSignal, fn: () => T | Promise<T>): Promise<T> {
    return retry(fn, {
      shouldRetry: () => true,
      signal,
      backoff: persistBackoff,
      onRetry: ({ attempt, delayMs, error }) =>
        this.#options.logger.error(`could not ${what}; the record waits until it can`, {
          group: this.#options.groupId,
          attempt,
          nextInMs: delayMs,
          error: describeError(error),
        }),
    });
  }
}
