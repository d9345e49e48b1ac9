import { topics } from '@kafkadog/contracts';
import { createAdmin, createProducer, silentLogger } from '@kafkadog/kafka';
import { Consumer } from '@platformatic/kafka';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import { call, useGateway } from './gateway.js';

interface Detail {
  groupId: string;
  state: string;
  paused: boolean;
  members: { memberId: string; assignments: { topic: string; partitions: number[] }[] }[];
  offsets: { topic: string; partition: number; committed: string | null; lag: number | null }[];
  lagHistory: { at: string; lag: number; byTopic: Record<string, number> }[];
  rebalances: {
    joined: string[];
    left: string[];
    moved: { topic: string; partition: number; from: string | null; to: string | null }[];
  }[];
}

// Nothing else in these tests reads or writes it.
const topic = topics.sagaState.name;

describe('explorer: consumer groups, lag history, rebalances (real broker)', () => {
  const gateway = useGateway();
  const admin = createAdmin({ brokers: gateway.brokers, logger: silentLogger });
  const producer = createProducer({
    brokers: gateway.brokers,
    clientId: 'test-explorer-groups',
    logger: silentLogger,
  });
  const consumers: Consumer[] = [];
  afterAll(async () => {
    for (const consumer of consumers) await consumer.close(true).catch(() => {});
    await producer.close();
    await admin.close();
  });

  async function join(groupId: string): Promise<void> {
    const consumer = new Consumer({
      clientId: `test-explorer-${randomUUID().slice(0, 4)}`,
      groupId,
      bootstrapBrokers: gateway.brokers,
    });
    consumers.push(consumer);
    // Joins the group and reads nothing it commits: the lag stays as it was set.
    await consumer.consume({ topics: [topic], mode: 'committed', autocommit: false });
  }

  const detail = (groupId: string) =>
    call<Detail>(`${gateway.url}/explorer/groups/${encodeURIComponent(groupId)}`);

  it('shows members, assignment, lag per partition and over time, and each rebalance', async () => {
    const groupId = `test.explorer.group.${randomUUID().slice(0, 8)}`;
    for (let partition = 0; partition < 3; partition++) {
      for (let i = 0; i < 2; i++) {
        await producer.sendRaw({ topic, key: randomUUID(), value: Buffer.from('x'), partition });
      }
    }
    const marks = await admin.watermarks([topic]);
    // Two records behind on every partition.
    await admin.resetGroupOffsets(groupId, [topic], {
      offsets: marks.map(({ partition, high }) => ({ topic, partition, offset: high - 2n })),
    });

    await join(groupId);
    const first = await waitFor(
      async () => {
        const { body } = await detail(groupId);
        return body.members?.length === 1 && body.rebalances.length > 0 ? body : undefined;
      },
      { what: `${groupId} with one member and its first rebalance`, timeoutMs: 30_000 },
    );
    const a = first.members[0]!.memberId;
    expect(first).toMatchObject({ groupId, state: 'Stable', paused: false });
    expect(first.members[0]!.assignments).toEqual([{ topic, partitions: [0, 1, 2] }]);
    expect(first.offsets).toEqual(
      marks.map(({ partition, high }) => ({
        topic,
        partition,
        committed: (high - 2n).toString(),
        logEnd: high.toString(),
        lag: 2,
      })),
    );
    expect(first.rebalances.at(-1)).toEqual({
      at: expect.any(String) as string,
      joined: [a],
      left: [],
      moved: [0, 1, 2].map((partition) => ({ topic, partition, from: null, to: a })),
    });
    const lagged = await waitFor(
      async () => {
        const { body } = await detail(groupId);
        return body.lagHistory.length > 0 ? body.lagHistory : undefined;
      },
      { what: 'a lag sample' },
    );
    expect(lagged.at(-1)).toMatchObject({ lag: 6, byTopic: { [topic]: 6 } });

    const list = await call<{ groups: { groupId: string; members: number; lag: number }[] }>(
      `${gateway.url}/explorer/groups`,
    );
    expect(list.body.groups.find((g) => g.groupId === groupId)).toEqual({
      groupId,
      state: 'Stable',
      protocolType: 'consumer',
      members: 1,
      topics: [topic],
      lag: 6,
      paused: false,
    });

    await join(groupId);
    const second = await waitFor(
      async () => {
        const { body } = await detail(groupId);
        return body.rebalances.some((r) => r.joined.length > 0 && !r.joined.includes(a))
          ? body
          : undefined;
      },
      { what: 'the second member’s join', timeoutMs: 30_000 },
    );
    const b = second.rebalances.flatMap((r) => r.joined).find((id) => id !== a)!;
    const settled = await waitFor(
      async () => {
        const { body } = await detail(groupId);
        const held = body.members.find((m) => m.memberId === b)?.assignments[0]?.partitions;
        return held && held.length > 0 && body.state === 'Stable' ? { body, held } : undefined;
      },
      { what: 'b to hold partitions' },
    );
    // Whatever steps the sampling caught, each partition b holds now came from a.
    const since = settled.body.rebalances.findLastIndex((r) => r.joined.includes(a));
    const moves = settled.body.rebalances.slice(since + 1).flatMap((r) => r.moved);
    for (const partition of settled.held) {
      expect(moves.find((m) => m.partition === partition)?.from).toBe(a);
    }
  });

  it('answers 404 for a group that does not exist', async () => {
    const missing = await detail(`test.explorer.none.${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'unknown_group' });
  });
});
