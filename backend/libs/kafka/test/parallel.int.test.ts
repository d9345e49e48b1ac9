import { afterEach, describe, expect, it } from 'vitest';
import { testBrokers } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createEventConsumer, type EventMeta } from '../src/consumer/index.js';
import { createProducer } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
} from './fixtures.js';

describe('parallelPartitions', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('runs partitions side by side, each in order, and commits every one to its end', async () => {
    const specs = await createTestTopics(brokers, 'parallel');
    closers.push(() => deleteTestTopics(brokers, specs));
    const producer = createProducer({ brokers, clientId: 'test-parallel', logger: memoryLogger() });
    closers.push(() => producer.close());
    const events = Array.from({ length: 60 }, () => orderPlaced());
    const partitionOf = new Map<string, number>();
    for (const event of events) {
      const at = await producer.publish(event, { topic: specs.orders.name });
      partitionOf.set(event.id, at.partition);
    }
    const partitions = new Set(partitionOf.values());
    expect(partitions.size).toBe(3);

    // The first record of every partition waits until a record of every other partition has
    // started: one record at a time would never get there (and times out).
    const started = new Set<number>();
    let allStarted!: () => void;
    const everyPartition = new Promise<void>((resolve) => (allStarted = resolve));
    const handled: EventMeta[] = [];
    const groupId = `parallel.${Date.now()}`;
    const consumer = createEventConsumer({
      brokers,
      groupId,
      topics: [specs.orders],
      producer,
      parallelPartitions: true,
      retry: false,
      dlqTopic: specs.dlq.name,
      retryTopic: specs.retry.name,
      logger: memoryLogger(),
      handler: async (_event, meta) => {
        started.add(meta.partition);
        if (started.size === partitions.size) allStarted();
        await everyPartition;
        handled.push(meta);
      },
    });
    await consumer.start();
    closers.push(() => consumer.close());

    await waitFor(() => handled.length === events.length, { what: 'every event handled' });
    for (const partition of partitions) {
      const offsets = handled.filter((m) => m.partition === partition).map((m) => Number(m.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    await waitFor(
      async () =>
        (
          await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [specs.orders.name]))
        ).every((row) => row.committed === row.logEnd),
      { what: 'every partition committed to its end' },
    );
  });
});
