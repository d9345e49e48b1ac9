import { DlqReasons, type DlqReason, type KafkadogEvent } from '@kafkadog/contracts';
import { describeError } from '../errors.js';
import type { IdempotencyGuard } from '../idempotency/index.js';
import type { Logger } from '../logger.js';
import type { KafkaMetrics } from '../metrics/index.js';
import type { EventProducer } from '../producer/index.js';
import type { BatchOutput } from './batch.js';
import {
  dlqHeaders,
  retryHeaders,
  type ConsumedRecord,
  type SourcePosition,
} from '../records/index.js';
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

/**
 * What happens to a valid event: idempotency check, handler, then retry or dead letter. Nothing
 * here writes: the retry or dead-letter record joins the batch's output, and is counted and
 * logged once the batch is written.
 */
export class EventProcessor {
  readonly #options: ProcessorOptions;

  constructor(options: ProcessorOptions) {
    this.#options = options;
  }

  async handle(
    event: KafkadogEvent,
    meta: EventMeta,
    delivery: Delivery,
    out: BatchOutput,
  ): Promise<Outcome> {
    const { guard, handler, metrics, groupId } = this.#options;
    const labels = { topic: delivery.source.topic, group: groupId };
    if (guard && (await guard.isApplied(event, meta))) {
      metrics.duplicatesSuppressed.inc(labels);
      return 'duplicate';
    }
    try {
      await handler(event, meta, out);
    } catch (error) {
      metrics.failed.inc(labels);
      return this.#routeFailure(event, meta, delivery, error, out);
    }
    if (guard) await guard.markApplied(event, meta);
    return 'handled';
  }

  deadLetter(
    delivery: Delivery,
    reason: DlqReason,
    error: string,
    out: BatchOutput,
  ): 'dead-lettered' {
    const { dlqTopic, groupId, metrics, logger } = this.#options;
    const { record, source } = delivery;
    out.add({
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
    });
    out.afterWrite(() => {
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
    });
    return 'dead-lettered';
  }

  #routeFailure(
    event: KafkadogEvent,
    meta: EventMeta,
    delivery: Delivery,
    error: unknown,
    out: BatchOutput,
  ): Outcome {
    const { retry: policy, isRetriable, retryTopic, groupId, metrics, logger } = this.#options;
    const message = describeError(error);
    const retriable = isRetriable(error);
    if (!retriable || !policy || meta.attempt >= policy.maxAttempts) {
      const reason = retriable ? DlqReasons.retriesExhausted : DlqReasons.nonRetriable;
      return this.deadLetter(delivery, reason, message, out);
    }
    // Attempt n failed, so this is retry n.
    const retryNumber = meta.attempt;
    const failedAt = Date.now();
    const notBefore = retryDueAt(retryNumber, policy, failedAt);
    const { record, source } = delivery;
    out.add({
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
    });
    out.afterWrite(() => {
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
    });
    return 'retrying';
  }
}
