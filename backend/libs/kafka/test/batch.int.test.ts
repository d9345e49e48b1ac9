import { afterEach, describe, expect, it } from 'vitest';
import { testBrokers } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createEventConsumer, type EventMeta } from '../src/consumer/index.js';
import { createProducer } from '../src/producer/index.js';
import {
  countingConsumer,
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
} from './fixtures.js';

describe('a batch at a time', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('handles what was fetched in order, writes its outputs together and commits at most once per batch', async () => {
    const specs = await createTestTopics(brokers, 'batch');
    closers.push(() => deleteTestTopics(brokers, specs));
    const producer = createProducer({ brokers, clientId: 'test-batch', logger: memoryLogger() });
    closers.push(() => producer.close());
    const events = Array.from({ length: 300 }, () => orderPlaced());
    await producer.sendMany(
      events.map((event) => producer.eventRecord(event, { topic: specs.orders.name })),
    );

    const handled: EventMeta[] = [];
    const groupId = `batch.${Date.now()}`;
    const consumer = createEventConsumer({
      brokers,
      groupId,
      topics: [specs.orders],
      producer,
      retry: false,
      dlqTopic: specs.dlq.name,
      retryTopic: specs.retry.name,
      logger: memoryLogger(),
      handler: (event, meta, out) => {
        handled.push(meta);
        // One output per event, to the DLQ copy: the test reads them back below.
        out.add({ topic: specs.dlq.name, key: event.orderId, value: Buffer.from(event.id) });
      },
    });
    await consumer.start();
    closers.push(() => consumer.close());

    await waitFor(() => handled.length === events.length, { what: 'every event handled' });
    for (const partition of [0, 1, 2]) {
      const offsets = handled.filter((m) => m.partition === partition).map((m) => Number(m.offset));
      expect(offsets.length).toBeGreaterThan(0);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    await waitFor(
      async () =>
        (
          await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [specs.orders.name]))
        ).every((row) => row.committed === row.logEnd),
      { what: 'every partition committed to its end' },
    );
    // 300 records already in the topic come in a few fetches: a commit per record would be 300.
    expect(consumer.stats().commits).toBeLessThanOrEqual(30);
    const outputs = await withAdmin(brokers, (admin) =>
      admin.groupOffsets(`none.${groupId}`, [specs.dlq.name]),
    );
    expect(outputs.reduce((sum, row) => sum + Number(row.logEnd), 0)).toBe(events.length);
  });

  it('commits records that come one at a time at most every 250 ms, and up to the last one', async () => {
    const specs = await createTestTopics(brokers, 'commit-interval');
    closers.push(() => deleteTestTopics(brokers, specs));
    const producer = createProducer({ brokers, clientId: 'test-commits', logger: memoryLogger() });
    closers.push(() => producer.close());
    const groupId = `commit-interval.${Date.now()}`;
    const { consumer, handled } = countingConsumer({ brokers, specs, groupId, producer });
    await consumer.start();
    closers.push(() => consumer.close());

    // 40 records, each produced once the one before was handled: 40 batches of one.
    const started = Date.now();
    for (let n = 1; n <= 40; n++) {
      await producer.publish(orderPlaced(), { topic: specs.orders.name });
      await waitFor(() => handled() === n, { what: `record ${n} handled` });
    }
    const seconds = (Date.now() - started) / 1000;
    await waitFor(
      async () =>
        (
          await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [specs.orders.name]))
        ).every((row) => row.committed === row.logEnd),
      { what: 'every partition committed to its end' },
    );
    expect(consumer.stats().records).toBe(40);
    expect(consumer.stats().commits).toBeLessThanOrEqual(Math.ceil(seconds / 0.25) + 2);
    expect(consumer.stats().commits).toBeLessThan(40);
  });
});
