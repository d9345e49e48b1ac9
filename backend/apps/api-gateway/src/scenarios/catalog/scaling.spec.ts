import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { partitionList, scalingVerdict } from './scaling.js';

const GROUP = 'payment-service';
const all = ['orders.v1[0]', 'orders.v1[1]', 'orders.v1[2]'];
const one = [{ memberId: 'm-1', clientId: 'payment-service', partitions: all }];
const two = [
  { memberId: 'm-1', clientId: 'payment-service', partitions: ['orders.v1[0]'] },
  { memberId: 'm-2', clientId: 'payment-service', partitions: ['orders.v1[1]', 'orders.v1[2]'] },
];

function ordered(given: Given, ...ids: string[]): Given {
  for (const id of ids)
    given.placed(id, 'during').event(topics.outcomes.name, 'OrderCompleted', id);
  return given;
}

/** One member, a second joins and takes two partitions, then leaves: they move back. */
function rebalancedTwice(): Given {
  const given = ordered(new Given().group(GROUP, one), 'a');
  given.after(2_000).group(GROUP, one, 'PreparingRebalance');
  given.facts.push({
    kind: 'instance',
    at: given.now,
    name: 'payment-service#2',
    service: 'payment-service',
    state: 'started',
  });
  ordered(given.after(1_000).group(GROUP, two), 'b');
  return ordered(given.after(3_000).group(GROUP, one), 'c');
}

describe('scaling verdict', () => {
  it('passes: 1 → 2 members and back, partitions moved each way, every order one outcome', () => {
    const judged = scalingVerdict(rebalancedTwice().facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.checks.find((c) => c.name.startsWith('partitions moved'))?.detail).toBe(
      'partitions 1, 2 of orders.v1 → payment-service#2',
    );
    expect(judged.summary).toBe(
      'payment-service: 1 → 2 members, partitions 1, 2 of orders.v1 moved to payment-service#2; 2 → 1 after it left; 3 orders, 3 outcomes',
    );
  });

  it('fails while nobody joined', () => {
    const judged = scalingVerdict(
      ordered(new Given().group(GROUP, one).group(GROUP, one), 'a').facts,
    );
    expect(failing(judged)).toEqual([
      'a member joined',
      'partitions moved to the new member (a rebalance)',
      'it left and its partitions moved back (a second rebalance)',
    ]);
  });

  it('fails when the newcomer got nothing', () => {
    const idle = [...one, { memberId: 'm-2', clientId: 'payment-service', partitions: [] }];
    const judged = scalingVerdict(
      ordered(new Given().group(GROUP, one).group(GROUP, idle).group(GROUP, one), 'a').facts,
    );
    expect(failing(judged)).toContain('partitions moved to the new member (a rebalance)');
  });

  it('fails while the newcomer is still in the group, or its partitions are not held again', () => {
    const stayed = ordered(new Given().group(GROUP, one).after(1_000).group(GROUP, two), 'a');
    expect(failing(scalingVerdict(stayed.facts))).toEqual([
      'it left and its partitions moved back (a second rebalance)',
    ]);
    const orphaned = [
      { memberId: 'm-1', clientId: 'payment-service', partitions: ['orders.v1[0]'] },
    ];
    stayed.after(1_000).group(GROUP, orphaned);
    expect(failing(scalingVerdict(stayed.facts))).toEqual([
      'it left and its partitions moved back (a second rebalance)',
    ]);
  });

  it('fails when an order has no outcome, or two', () => {
    const missing = rebalancedTwice().placed('d', 'after');
    expect(failing(scalingVerdict(missing.facts))).toEqual([
      'every order placed has exactly one outcome',
    ]);
    const twice = rebalancedTwice().event(topics.outcomes.name, 'OrderCompleted', 'a');
    expect(failing(scalingVerdict(twice.facts))).toEqual([
      'every order placed has exactly one outcome',
    ]);
  });
});

describe('partitionList', () => {
  it('names the partitions by number, once for topics that have the same ones', () => {
    expect(partitionList(['orders.v1[2]', 'orders.v1[1]'])).toBe('partitions 1, 2 of orders.v1');
    expect(partitionList(['orders.v1[0]'])).toBe('partition 0 of orders.v1');
    expect(
      partitionList([
        'orders.v1[2]',
        'orders.outcome.v1[0]',
        'orders.v1[0]',
        'orders.outcome.v1[2]',
      ]),
    ).toBe('partitions 0, 2 of orders.outcome.v1 and orders.v1');
    expect(partitionList(['orders.v1[0]', 'orders.v1[2]', 'orders.outcome.v1[1]'])).toBe(
      'partitions 1 of orders.outcome.v1 and 0, 2 of orders.v1',
    );
  });
});
