import type { Counter } from 'prom-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createEventConsumer } from '../src/consumer/index.js';
import { InMemoryIdempotencyGuard } from '../src/idempotency/index.js';
import { counterValue, createKafkaMetrics } from '../src/metrics/index.js';
import { createProducer } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
  type TestTopics,
} from './fixtures.js';

describe('idempotency (acceptance 5)', () => {
  const brokers = testBrokers();
  let topics: TestTopics | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => deleteTestTopics(brokers, topics));

  it('keeps a duplicate event from the handler and counts it', async () => {
    topics = await createTestTopics(brokers, 'dedup');
    const groupId = uniqueName('dedup.group');
    const metrics = createKafkaMetrics();
    const logger = memoryLogger();
    const producer = createProducer({ brokers, clientId: 'test-dedup', logger, metrics });
    closers.push(() => producer.close());

    // 20 distinct events; the first 7 published twice and the 8th three times: 9 duplicates.
    const events = Array.from({ length: 20 }, () => orderPlaced());
    const copies = events.map((_, i) => (i < 7 ? 2 : i === 7 ? 3 : 1));
    const duplicates = copies.reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBe(9);
    for (const [i, event] of events.entries()) {
      for (let copy = 0; copy < copies[i]!; copy++) {
        await producer.publish(event, { topic: topics.orders.name });
      }
    }
    const records = events.length + duplicates;

    const handled: string[] = [];
    const consumer = createEventConsumer({
      brokers,
      groupId,
      topics: [topics.orders],
      producer,
      handler: (event) => {
        handled.push(event.id);
      },
      idempotency: new InMemoryIdempotencyGuard(),
      retry: false,
      dlqTopic: topics.dlq.name,
      retryTopic: topics.retry.name,
      logger,
      metrics,
    });
    await consumer.start();
    closers.push(() => consumer.close());

    // Done when the group has committed every record: each one was handled or suppressed.
    await waitFor(
      async () => {
        const offsets = await withAdmin(brokers, (admin) =>
          admin.groupOffsets(groupId, [topics!.orders.name]),
        );
        return offsets.reduce((sum, row) => sum + Number(row.committed ?? 0), 0) === records;
      },
      { what: `all ${records} records to be committed` },
    );

    expect(handled).toHaveLength(events.length);
    expect(new Set(handled)).toEqual(new Set(events.map((event) => event.id)));
    // Read through the registry, as GET /metrics would.
    const suppressed = metrics.registry.getSingleMetric(
      'kafkadog_duplicates_suppressed_total',
    ) as Counter<'topic' | 'group'>;
    expect(await counterValue(suppressed, { topic: topics.orders.name, group: groupId })).toBe(
      duplicates,
    );
    expect(await metrics.registry.metrics()).toContain(
      `kafkadog_duplicates_suppressed_total{topic="${topics.orders.name}",group="${groupId}"} ${duplicates}`,
    );
    expect(await counterValue(metrics.consumed, { group: groupId })).toBe(records);
  });
});
