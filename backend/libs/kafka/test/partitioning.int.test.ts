import { topics } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRecords } from '../../../../test/support/collect.js';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { createProducer, partitionFor } from '../src/producer/index.js';
import { memoryLogger, orderPlaced, withAdmin } from './fixtures.js';

describe('producer partitioning (acceptance 1)', () => {
  const brokers = testBrokers();
  const orders = { ...topics.orders, name: uniqueName('keys.orders') };
  afterAll(() => withAdmin(brokers, (admin) => admin.deleteTopics([orders.name])));

  it('sends every event of one order to the same partition and spreads orders over partitions', async () => {
    await withAdmin(brokers, (admin) => admin.ensureTopics([orders]));
    expect(orders.partitions).toBe(3);
    const producer = createProducer({ brokers, clientId: 'test-keys', logger: memoryLogger() });
    const orderIds = Array.from({ length: 12 }, () => randomUUID());
    const rounds = 5;
    const published: { orderId: string; partition: number }[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        const positions = await Promise.all(
          orderIds.map((orderId) => producer.publish(orderPlaced(orderId), { topic: orders.name })),
        );
        positions.forEach(({ partition }, i) =>
          published.push({ orderId: orderIds[i]!, partition }),
        );
      }
    } finally {
      await producer.close();
    }

    // What is really in the topic, read back by an independent consumer.
    const collector = await collectRecords(brokers, orders.name);
    const records = await collector.untilEnd();
    await collector.close();
    expect(records).toHaveLength(orderIds.length * rounds);

    const partitionsByKey = new Map<string, Set<number>>();
    for (const record of records) {
      const key = record.key?.toString() ?? '';
      partitionsByKey.set(key, (partitionsByKey.get(key) ?? new Set()).add(record.partition));
      // The key is the order id, as the registry says.
      expect(JSON.parse(record.value?.toString() ?? '{}')).toMatchObject({ orderId: key });
    }
    expect([...partitionsByKey.keys()].sort()).toEqual([...orderIds].sort());
    for (const [key, partitions] of partitionsByKey) {
      expect([...partitions], `partitions of ${key}`).toHaveLength(1);
      // The partition the Java client would choose, so every tool agrees on where a key lives.
      expect([...partitions][0]).toBe(partitionFor(key, orders.partitions));
    }
    const used = new Set(records.map((record) => record.partition));
    expect(used.size).toBeGreaterThan(1);
    // The positions publish() reported are the ones the records really have.
    for (const { orderId, partition } of published) {
      expect([...partitionsByKey.get(orderId)!]).toEqual([partition]);
    }
  });
});
