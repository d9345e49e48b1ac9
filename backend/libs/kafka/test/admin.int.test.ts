import { topics as registry } from '@kafkadog/contracts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { collectRecords } from '../../../../test/support/collect.js';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createAdmin, replicationFor, waitForKafka, type KafkaAdmin } from '../src/admin/index.js';
import { createEventConsumer, type EventConsumer } from '../src/consumer/index.js';
import { InMemoryIdempotencyGuard } from '../src/idempotency/index.js';
import { counterValue, createKafkaMetrics } from '../src/metrics/index.js';
import { createProducer, type EventProducer } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  type TestTopics,
} from './fixtures.js';

describe('admin', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<void>)[] = [];
  const topicsToDelete: string[] = [];
  const created: TestTopics[] = [];
  const admin: KafkaAdmin = createAdmin({ brokers, logger: memoryLogger() });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await admin.deleteTopics(topicsToDelete);
    for (const topics of created) await deleteTestTopics(brokers, topics);
    await admin.close();
  });

  it('waits for Kafka and counts its brokers', async () => {
    const logger = memoryLogger();
    const count = await waitForKafka(brokers, logger);
    expect(count).toBe(await admin.brokerCount());
    expect(count).toBeGreaterThanOrEqual(1);
    expect(logger.lines.map((line) => line.message)).toEqual([
      `connected to Kafka at ${brokers.join(',')}`,
    ]);
  });

  it('creates missing topics, aligns the configs of existing ones, and reports the rest', async () => {
    const spec = {
      ...registry.orders,
      name: uniqueName('admin.topic'),
      configs: { 'retention.ms': '3600000' },
    };
    topicsToDelete.push(spec.name);
    expect(await admin.ensureTopics([spec])).toEqual({
      created: [spec.name],
      existing: [],
      updated: [],
      mismatched: [],
    });
    expect(await admin.ensureTopics([spec])).toEqual({
      created: [],
      existing: [spec.name],
      updated: [],
      mismatched: [],
    });

    const changed = {
      ...spec,
      partitions: 5,
      configs: { 'cleanup.policy': 'compact', 'retention.ms': '7200000' },
    };
    const result = await admin.ensureTopics([changed]);
    expect(result.mismatched).toEqual([
      { name: spec.name, setting: 'partitions', expected: '5', actual: '3' },
      { name: spec.name, setting: 'cleanup.policy', expected: 'compact', actual: 'delete' },
    ]);
    expect(result.updated).toEqual([
      { name: spec.name, setting: 'retention.ms', expected: '7200000', actual: '3600000' },
    ]);

    const [described] = await admin.describeTopics([spec.name]);
    expect(described!.partitions).toHaveLength(3);
    const { replicationFactor: replicas, minInsyncReplicas } = replicationFor(
      await admin.brokerCount(),
    );
    expect(described!.configs).toEqual({
      'retention.ms': '7200000',
      'min.insync.replicas': String(minInsyncReplicas),
    });
    for (const partition of described!.partitions) {
      expect(partition.replicas).toHaveLength(replicas);
      expect(partition.leader).toBeGreaterThanOrEqual(0);
    }
  });

  it("sets an existing topic's min.insync.replicas from the replicas it has", async () => {
    const spec = { ...registry.orders, name: uniqueName('admin.minisr'), configs: {} };
    topicsToDelete.push(spec.name);
    // Made by hand with more in-sync replicas required than it has: every acks=all write fails.
    await admin.ensureTopics([{ ...spec, configs: { 'min.insync.replicas': '4' } }]);

    const result = await admin.ensureTopics([spec]);
    const [described] = await admin.describeTopics([spec.name]);
    const replicas = described!.partitions[0]!.replicas.length;
    const expected = String(replicationFor(replicas).minInsyncReplicas);
    expect(result.updated).toEqual([
      { name: spec.name, setting: 'min.insync.replicas', expected, actual: '4' },
    ]);
    // The controller applies the change; a broker serves it a moment later.
    await waitFor(
      async () =>
        (await admin.describeTopics([spec.name]))[0]?.configs['min.insync.replicas'] === expected,
      { what: `min.insync.replicas ${expected} on ${spec.name}` },
    );
  });

  describe('consumer groups', () => {
    async function setup(prefix: string, count: number) {
      const topics = await createTestTopics(brokers, prefix);
      created.push(topics);
      const producer = createProducer({
        brokers,
        clientId: `test-${prefix}`,
        logger: memoryLogger(),
      });
      closers.push(() => producer.close());
      const events = Array.from({ length: count }, () => orderPlaced());
      for (const event of events) await producer.publish(event, { topic: topics.orders.name });
      return { topics, producer, events, groupId: uniqueName(`${prefix}.group`) };
    }

    function start(
      topics: TestTopics,
      producer: EventProducer,
      groupId: string,
      handled: string[],
      guard = new InMemoryIdempotencyGuard(),
      metrics = createKafkaMetrics(),
    ): EventConsumer {
      return createEventConsumer({
        brokers,
        groupId,
        topics: [topics.orders],
        producer,
        handler: (event) => {
          handled.push(event.id);
        },
        idempotency: guard,
        retry: false,
        dlqTopic: topics.dlq.name,
        retryTopic: topics.retry.name,
        logger: memoryLogger(),
        metrics,
      });
    }

    const committedTotal = async (groupId: string) =>
      (await admin.groupOffsets(groupId)).reduce((sum, row) => sum + Number(row.committed ?? 0), 0);

    it('describes a group, its offsets and lag, and replays it from the earliest offset', async () => {
      const { topics, producer, events, groupId } = await setup('replay', 9);
      const handled: string[] = [];
      const guard = new InMemoryIdempotencyGuard();
      const consumer = start(topics, producer, groupId, handled, guard);
      await consumer.start();
      await waitFor(async () => (await committedTotal(groupId)) === events.length);

      const group = await admin.describeGroup(groupId);
      expect(group.state).toBe('Stable');
      expect(group.members).toHaveLength(1);
      expect(group.members[0]!.assignments).toEqual([
        { topic: topics.orders.name, partitions: [0, 1, 2] },
      ]);
      expect((await admin.listGroups()).map((g) => g.id)).toContain(groupId);
      for (const row of await admin.groupOffsets(groupId)) {
        expect(row.committed).toBe(row.logEnd);
        expect(row.lag).toBe(0);
      }

      // Kafka moves offsets only for a group without members.
      await expect(
        admin.resetGroupOffsets(groupId, [topics.orders.name], 'earliest'),
      ).rejects.toMatchObject({ code: 'GROUP_ACTIVE' });
      await consumer.close();
      expect((await admin.describeGroup(groupId)).state).toBe('Empty');

      const reset = await admin.resetGroupOffsets(groupId, [topics.orders.name], 'earliest');
      expect(reset.map((r) => r.offset)).toEqual(['0', '0', '0']);
      const rows = await admin.groupOffsets(groupId);
      expect(rows.map((row) => row.lag)).toEqual(rows.map((row) => Number(row.logEnd)));

      // The replay delivers every event again; the guard from the first run suppresses them all.
      const metrics = createKafkaMetrics();
      const replayed: string[] = [];
      const again = start(topics, producer, groupId, replayed, guard, metrics);
      await again.start();
      closers.push(() => again.close());
      await waitFor(async () => (await committedTotal(groupId)) === events.length);
      expect(replayed).toEqual([]);
      expect(await counterValue(metrics.duplicatesSuppressed)).toBe(events.length);
    });

    it('resets to a point in time and to given offsets', async () => {
      const { topics, producer, groupId } = await setup('reset', 6);
      const handled: string[] = [];
      const consumer = start(topics, producer, groupId, handled);
      await consumer.start();
      await waitFor(async () => (await committedTotal(groupId)) === 6);
      await consumer.close();

      const since = Date.now() + 1;
      await waitFor(() => Date.now() > since, { intervalMs: 1 });
      const later = Array.from({ length: 6 }, () => orderPlaced());
      for (const event of later) await producer.publish(event, { topic: topics.orders.name });

      const collector = await collectRecords(brokers, topics.orders.name);
      const records = await collector.untilEnd();
      await collector.close();
      const firstAtOrAfter = (partition: number) => {
        const offsets = records
          .filter((r) => r.partition === partition && r.timestamp >= since)
          .map((r) => r.offset);
        const end = records.filter((r) => r.partition === partition).length;
        return String(offsets.length > 0 ? Math.min(...offsets) : end);
      };
      const byTime = await admin.resetGroupOffsets(groupId, [topics.orders.name], {
        timestamp: new Date(since),
      });
      expect(byTime).toEqual(
        [0, 1, 2].map((p) => ({
          topic: topics.orders.name,
          partition: p,
          offset: firstAtOrAfter(p),
        })),
      );

      const given = await admin.resetGroupOffsets(groupId, [topics.orders.name], {
        offsets: [{ topic: topics.orders.name, partition: 1, offset: 1 }],
      });
      expect(given).toEqual([{ topic: topics.orders.name, partition: 1, offset: '1' }]);
      const committed = await admin.groupOffsets(groupId);
      expect(committed.find((row) => row.partition === 1)?.committed).toBe('1');

      await expect(
        admin.resetGroupOffsets(groupId, [uniqueName('missing')], 'latest'),
      ).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
    });
  });
});
