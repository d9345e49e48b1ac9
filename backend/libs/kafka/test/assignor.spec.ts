import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { copartitionedAssigner } from '../src/group/assignor.js';

function metadata(partitions: Record<string, number>): ClusterMetadata {
  return {
    id: 'cluster',
    brokers: new Map(),
    controllerId: 1,
    lastUpdate: 0,
    topics: new Map(
      Object.entries(partitions).map(([name, count]) => [
        name,
        { id: name, partitions: [], partitionsCount: count, lastUpdate: 0 },
      ]),
    ),
  };
}

function members(ids: string[], topics?: string[]): Map<string, ExtendedGroupProtocolSubscription> {
  return new Map(ids.map((memberId) => [memberId, { memberId, version: 0, topics }]));
}

/** memberId → "topic:partition" list. */
function flatten(result: ReturnType<typeof copartitionedAssigner>): Record<string, string[]> {
  return Object.fromEntries(
    result.map(({ memberId, assignments }) => [
      memberId,
      [...assignments.values()].flatMap(({ topic, partitions }) =>
        partitions.map((p) => `${topic}:${p}`),
      ),
    ]),
  );
}

describe('copartitionedAssigner', () => {
  const topics = new Set(['payments', 'inventory', 'orders']);
  const meta = metadata({ orders: 3, payments: 3, inventory: 3 });

  it('gives partition p of every topic to the same member', () => {
    const result = flatten(copartitionedAssigner('m-b', members(['m-b', 'm-a']), topics, meta));
    expect(result).toEqual({
      'm-a': ['inventory:0', 'inventory:2', 'orders:0', 'orders:2', 'payments:0', 'payments:2'],
      'm-b': ['inventory:1', 'orders:1', 'payments:1'],
    });
  });

  it('assigns every partition exactly once, also with more members than partitions', () => {
    const result = copartitionedAssigner('x', members(['a', 'b', 'c', 'd']), topics, meta);
    const all = Object.values(flatten(result)).flat().sort();
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(9);
    expect(flatten(result).d).toEqual([]);
  });

  it('gives a topic only to the members subscribed to it', () => {
    const subscribed = new Map([
      ...members(['a'], ['orders']),
      ...members(['b'], ['orders', 'payments']),
    ]);
    const result = flatten(
      copartitionedAssigner('a', subscribed, new Set(['orders', 'payments']), meta),
    );
    expect(result.a).toEqual(['orders:0', 'orders:2']);
    expect(result.b).toEqual(['orders:1', 'payments:0', 'payments:1', 'payments:2']);
  });
});
