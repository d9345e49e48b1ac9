import { topics as registry } from '@kafkadog/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { createAdmin } from '../src/admin/index.js';
import { createProducer } from '../src/producer/index.js';
import { memoryLogger } from './fixtures.js';

describe('admin: what the explorer reads', () => {
  const brokers = testBrokers();
  const admin = createAdmin({ brokers, logger: memoryLogger() });
  const producer = createProducer({ brokers, clientId: 'test-inspect', logger: memoryLogger() });
  const topic = { ...registry.orders, name: uniqueName('inspect.topic') };
  afterAll(async () => {
    await admin.deleteTopics([topic.name]).catch(() => {});
    await producer.close();
    await admin.close();
  });

  it('lists the cluster nodes and their controller', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.clusterId).toEqual(expect.any(String));
    expect(cluster.nodes).toHaveLength(await admin.brokerCount());
    const ports = brokers.map((broker) => Number(broker.split(':').at(-1)));
    expect(cluster.nodes.some((node) => ports.includes(node.port))).toBe(true);
    if (cluster.controller !== undefined) {
      expect(cluster.nodes.map((node) => node.id)).toContain(cluster.controller);
    }
  });

  it('gives watermarks per partition, offsets by time, and every group’s committed offsets', async () => {
    await admin.ensureTopics([topic]);
    const before = Date.now();
    for (let i = 0; i < 3; i++) {
      await producer.sendRaw({ topic: topic.name, value: Buffer.from(`r${i}`), partition: 1 });
    }
    expect(
      (await admin.watermarks([topic.name])).map(({ partition, low, high }) => ({
        partition,
        low,
        high,
      })),
    ).toEqual([
      { partition: 0, low: 0n, high: 0n },
      { partition: 1, low: 0n, high: 3n },
      { partition: 2, low: 0n, high: 0n },
    ]);
    await expect(admin.watermarks([uniqueName('missing')])).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
    });
    const missing = uniqueName('missing');
    expect(
      (await admin.watermarks([missing, topic.name], { skipMissing: true })).map((w) => w.topic),
    ).toEqual([topic.name, topic.name, topic.name]);

    expect(await admin.offsetsForTimestamp(topic.name, before - 60_000)).toEqual([null, 0n, null]);
    expect(await admin.offsetsForTimestamp(topic.name, Date.now() + 60_000)).toEqual([
      null,
      null,
      null,
    ]);

    const groupA = uniqueName('inspect.a');
    const groupB = uniqueName('inspect.b');
    await admin.resetGroupOffsets(groupA, [topic.name], {
      offsets: [{ topic: topic.name, partition: 1, offset: 2 }],
    });
    await admin.resetGroupOffsets(groupB, [topic.name], 'latest');
    const rows = await admin.committedOffsets([groupA, groupB, uniqueName('never')], [topic.name]);
    expect(rows).toEqual(
      [
        { groupId: groupA, topic: topic.name, partition: 1, committed: 2n },
        { groupId: groupB, topic: topic.name, partition: 0, committed: 0n },
        { groupId: groupB, topic: topic.name, partition: 1, committed: 3n },
        { groupId: groupB, topic: topic.name, partition: 2, committed: 0n },
      ].sort((a, b) => a.groupId.localeCompare(b.groupId) || a.partition - b.partition),
    );
    expect(await admin.committedOffsets([groupA], [uniqueName('other')])).toEqual([]);

    const described = await admin.describeGroups([groupA, groupB]);
    expect(described.map((group) => [group.id, group.state, group.members])).toEqual([
      [groupA, 'Empty', []],
      [groupB, 'Empty', []],
    ]);
  });
});
