import { describe, expect, it } from 'vitest';
import {
  diffMembers,
  GroupHistory,
  LAG_HISTORY_MS,
  MAX_REBALANCES,
  type MemberAssignment,
} from './group-history.js';

const member = (memberId: string, partitions: number[], topic = 'orders.v1'): MemberAssignment => ({
  memberId,
  assignments: [{ topic, partitions }],
});

describe('rebalance diff', () => {
  it('given one member with every partition, when a second joins, then it names the partitions it took', () => {
    expect(diffMembers([member('a', [0, 1, 2])], [member('a', [0, 1]), member('b', [2])])).toEqual({
      joined: ['b'],
      left: [],
      moved: [{ topic: 'orders.v1', partition: 2, from: 'a', to: 'b' }],
    });
  });

  it('given two members, when one leaves, then its partitions move to the other', () => {
    expect(diffMembers([member('a', [0]), member('b', [1, 2])], [member('a', [0, 1, 2])])).toEqual({
      joined: [],
      left: ['b'],
      moved: [
        { topic: 'orders.v1', partition: 1, from: 'b', to: 'a' },
        { topic: 'orders.v1', partition: 2, from: 'b', to: 'a' },
      ],
    });
  });

  it('given the last member leaves, then its partitions are held by nobody', () => {
    expect(diffMembers([member('a', [0], 'payments.v1')], [])).toEqual({
      joined: [],
      left: ['a'],
      moved: [{ topic: 'payments.v1', partition: 0, from: 'a', to: null }],
    });
  });

  it('given the same members and assignment, then nothing changed', () => {
    expect(diffMembers([member('a', [0, 1])], [member('a', [0, 1])])).toBeNull();
  });
});

describe('group history', () => {
  it('keeps ten minutes of lag and records each change of membership once', () => {
    const history = new GroupHistory([member('a', [0])]);
    const start = Date.parse('2025-01-01T00:00:00Z');
    const at = (ms: number) => new Date(start + ms);
    const point = (ms: number, lag: number) => ({
      at: at(ms).toISOString(),
      lag,
      byTopic: { 'orders.v1': lag },
    });
    history.record(at(0), [member('a', [0])], point(0, 5));
    history.record(at(2_000), [member('a', [0]), member('b', [])], point(2_000, 4));
    history.record(at(4_000), [member('a', [0]), member('b', [])], point(4_000, 3));
    expect(history.rebalances).toEqual([
      { at: at(2_000).toISOString(), joined: ['b'], left: [], moved: [] },
    ]);
    expect(history.lagHistory.map((p) => p.lag)).toEqual([5, 4, 3]);

    history.record(at(LAG_HISTORY_MS + 3_000), [member('b', [0])], undefined);
    expect(history.lagHistory.map((p) => p.lag)).toEqual([3]);
    expect(history.rebalances.at(-1)).toMatchObject({
      left: ['a'],
      moved: [{ partition: 0, from: 'a', to: 'b' }],
    });
  });

  it('keeps the last fifty rebalances', () => {
    const history = new GroupHistory();
    for (let i = 0; i < MAX_REBALANCES + 5; i++) {
      history.record(new Date(i * 2_000), [member(`m${i}`, [0])], undefined);
    }
    expect(history.rebalances).toHaveLength(MAX_REBALANCES);
    expect(history.rebalances[0]!.joined).toEqual(['m5']);
  });
});
