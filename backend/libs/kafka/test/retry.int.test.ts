import type { KafkadogEvent } from '@kafkadog/contracts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { collectRecords, type RecordCollector } from '../../../../test/support/collect.js';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import {
  createEventConsumer,
  type EventConsumerOptions,
  type EventMeta,
} from '../src/consumer/index.js';
import { KafkadogError } from '../src/errors.js';
import { counterValue, createKafkaMetrics } from '../src/metrics/index.js';
import { createProducer } from '../src/producer/index.js';
import { backoffBounds } from '../src/retry/backoff.js';
import { createRetryWorker, type RetryPolicy } from '../src/retry/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  type TestTopics,
} from './fixtures.js';

interface Call {
  readonly at: number;
  readonly event: KafkadogEvent;
  readonly meta: EventMeta;
}

describe('retries (acceptance 3)', () => {
  const brokers = testBrokers();
  const created: TestTopics[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    for (const topics of created) await deleteTestTopics(brokers, topics);
  });

  /** A service: its consumer and its retry worker, sharing options, plus observers of its topics. */
  async function service(
    prefix: string,
    handler: EventConsumerOptions['handler'],
    retry: RetryPolicy | false,
  ) {
    const topics = await createTestTopics(brokers, prefix);
    created.push(topics);
    const metrics = createKafkaMetrics();
    const logger = memoryLogger();
    const producer = createProducer({ brokers, clientId: `test-${prefix}`, logger, metrics });
    closers.push(() => producer.close());
    const options: EventConsumerOptions = {
      brokers,
      groupId: uniqueName(`${prefix}.group`),
      topics: [topics.orders],
      producer,
      handler,
      retry,
      dlqTopic: topics.dlq.name,
      retryTopic: topics.retry.name,
      logger,
      metrics,
    };
    const consumer = createEventConsumer(options);
    await consumer.start();
    closers.push(() => consumer.close());
    const worker = retry === false ? undefined : createRetryWorker(options);
    if (worker) {
      await worker.start();
      closers.push(() => worker.close());
    }
    const retries: RecordCollector = await collectRecords(brokers, topics.retry.name);
    const dlq: RecordCollector = await collectRecords(brokers, topics.dlq.name);
    closers.push(
      () => retries.close(),
      () => dlq.close(),
    );
    return { topics, metrics, producer, groupId: options.groupId, retries, dlq };
  }

  it('carries its headers, never runs before its delay, and dead-letters after maxAttempts', async () => {
    const policy: RetryPolicy = {
      maxAttempts: 3,
      baseMs: 600,
      factor: 2,
      maxMs: 10_000,
      jitter: 0.2,
    };
    const calls: Call[] = [];
    const { topics, metrics, producer, groupId, retries, dlq } = await service(
      'retry',
      (event, meta) => {
        calls.push({ at: Date.now(), event, meta });
        throw new KafkadogError('INVENTORY_UNAVAILABLE', 'inventory is down', { retriable: true });
      },
      policy,
    );
    const event = orderPlaced();
    const position = await producer.publish(event, { topic: topics.orders.name });

    const [letter] = await dlq.waitForCount(1);
    const retryRecords = await retries.untilEnd();
    const source = await collectRecords(brokers, topics.orders.name);
    closers.push(() => source.close());
    const [published] = await source.untilEnd();
    const originalBytes = published!.value!;

    // One handler call per attempt, the same event each time.
    expect(calls.map(({ meta }) => meta.attempt)).toEqual([1, 2, 3]);
    for (const { event: seen, meta } of calls) {
      expect(seen).toEqual(event);
      expect(meta).toMatchObject({ ...position, key: event.orderId, groupId });
    }

    // Retry n waits at least baseMs * factor^(n-1) after attempt n failed.
    for (let n = 1; n < calls.length; n++) {
      const gap = calls[n]!.at - calls[n - 1]!.at;
      expect(gap, `gap before attempt ${n + 1}`).toBeGreaterThanOrEqual(
        backoffBounds(n, policy).min,
      );
    }

    // Each retry record says which attempt it is, when it is due, where the event came from
    // and why it failed; and it carries the original bytes and key.
    expect(retryRecords).toHaveLength(policy.maxAttempts - 1);
    for (const [i, record] of retryRecords.entries()) {
      const n = i + 1;
      expect(record.headers).toMatchObject({
        'retry-attempt': String(n),
        'original-topic': topics.orders.name,
        'original-partition': String(position.partition),
        'original-offset': position.offset,
        'original-key': event.orderId,
        error: 'INVENTORY_UNAVAILABLE: inventory is down',
        'retry-group': groupId,
        'event-id': event.id,
        'event-type': 'OrderPlaced',
      });
      expect(record.value?.equals(originalBytes)).toBe(true);
      expect(record.key?.toString()).toBe(event.orderId);
      const notBefore = Number(record.headers['retry-not-before']);
      const { min, max } = backoffBounds(n, policy);
      const failedAt = calls[i]!.at;
      expect(notBefore - failedAt).toBeGreaterThanOrEqual(min);
      expect(notBefore - failedAt).toBeLessThanOrEqual(max + 1_000);
      // Never early: the attempt it schedules starts at or after its due time.
      expect(calls[n]!.at).toBeGreaterThanOrEqual(notBefore);
      expect(calls[n]!.meta.retry).toEqual({
        topic: topics.retry.name,
        partition: record.partition,
        offset: String(record.offset),
      });
    }

    // After the last attempt: the DLQ, with the reason, the owning group and the original position.
    expect(letter!.headers).toMatchObject({
      'dlq-reason': 'retries_exhausted',
      'dlq-error': 'INVENTORY_UNAVAILABLE: inventory is down',
      'dlq-consumer-group': groupId,
      'original-topic': topics.orders.name,
      'original-partition': String(position.partition),
      'original-offset': position.offset,
      'retry-attempt': String(policy.maxAttempts - 1),
    });
    expect(letter!.value?.equals(originalBytes)).toBe(true);
    expect(letter!.key?.toString()).toBe(event.orderId);
    expect(await dlq.untilEnd()).toHaveLength(1);

    expect(await counterValue(metrics.failed, { group: groupId })).toBe(3);
    expect(await counterValue(metrics.retried, { group: groupId })).toBe(2);
    expect(
      await counterValue(metrics.deadLettered, { group: groupId, reason: 'retries_exhausted' }),
    ).toBe(1);
  });

  it('dead-letters a non-retriable failure at once', async () => {
    const calls: Call[] = [];
    const { topics, producer, retries, dlq } = await service(
      'fatal',
      (event, meta) => {
        calls.push({ at: Date.now(), event, meta });
        throw new TypeError('a bug');
      },
      { maxAttempts: 3, baseMs: 100, factor: 2, maxMs: 1_000, jitter: 0 },
    );
    await producer.publish(orderPlaced(), { topic: topics.orders.name });
    const [letter] = await dlq.waitForCount(1);
    expect(letter!.headers['dlq-reason']).toBe('non_retriable');
    expect(calls).toHaveLength(1);
    expect(await retries.untilEnd()).toHaveLength(0);
  });

  it('stops retrying once an attempt succeeds', async () => {
    const calls: Call[] = [];
    const { topics, producer, retries, dlq, metrics, groupId } = await service(
      'recover',
      (event, meta) => {
        calls.push({ at: Date.now(), event, meta });
        if (meta.attempt < 2) throw new KafkadogError('FLAKY', 'not yet', { retriable: true });
      },
      { maxAttempts: 5, baseMs: 200, factor: 2, maxMs: 1_000, jitter: 0.2 },
    );
    await producer.publish(orderPlaced(), { topic: topics.orders.name });
    await waitFor(() => calls.length === 2, { what: 'the successful second attempt' });
    await waitFor(
      async () => (await counterValue(metrics.consumed, { group: `${groupId}.retry` })) === 1,
    );
    expect(await retries.untilEnd()).toHaveLength(1);
    expect(await dlq.untilEnd()).toHaveLength(0);
  });
});
