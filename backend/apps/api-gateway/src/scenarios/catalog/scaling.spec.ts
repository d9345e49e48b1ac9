import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { scalingVerdict } from './scaling.js';

const GROUP = 'payment-service';
const all = ['orders.v1[0]', 'orders.v1[1]', 'orders.v1[2]'];
const one = [{ memberId: 'm-1', clientId: 'payment-a', partitions: all }];
const two = [
  { memberId: 'm-1', clientId: 'payment-a', partitions: ['orders.v1[0]', 'orders.v1[1]'] },
  { memberId: 'm-2', clientId: 'payment-b', partitions: ['orders.v1[2]'] },
];

function ordered(given: Given, ...ids: string[]): Given {
  for (const id of ids)
    given.placed(id, 'during').event(topics.outcomes.name, 'OrderCompleted', id);
  return given;
}

describe('scaling verdict', () => {
  it('passes: 1 → 2 members, a partition moved to the newcomer, every order one outcome', () => {
    const given = ordered(new Given().group(GROUP, one), 'a');
    given.group(GROUP, two, 'PreparingRebalance');
    const judged = scalingVerdict(ordered(given, 'b', 'c').facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.checks.find((c) => c.name.startsWith('partitions moved'))?.detail).toBe(
      'orders.v1[2] → payment-b',
    );
    expect(judged.summary).toBe('payment-service: 1 → 2 members, 1 partitions moved');
  });

  it('fails while nobody joined', () => {
    const judged = scalingVerdict(
      ordered(new Given().group(GROUP, one).group(GROUP, one), 'a').facts,
    );
    expect(failing(judged)).toEqual([
      'a member joined',
      'partitions moved to the new member (a rebalance)',
    ]);
  });

  it('fails when the newcomer got nothing', () => {
    const idle = [...one, { memberId: 'm-2', clientId: 'payment-b', partitions: [] }];
    const judged = scalingVerdict(
      ordered(new Given().group(GROUP, one).group(GROUP, idle), 'a').facts,
    );
    expect(failing(judged)).toEqual(['partitions moved to the new member (a rebalance)']);
  });

  it('fails when an order placed meanwhile has no outcome, or two', () => {
    const given = ordered(new Given().group(GROUP, one).group(GROUP, two), 'a').placed(
      'b',
      'during',
    );
    expect(failing(scalingVerdict(given.facts))).toEqual([
      'orders placed meanwhile each have exactly one outcome',
    ]);
    const twice = ordered(new Given().group(GROUP, one).group(GROUP, two), 'a').event(
      topics.outcomes.name,
      'OrderCompleted',
      'a',
    );
    expect(failing(scalingVerdict(twice.facts))).toEqual([
      'orders placed meanwhile each have exactly one outcome',
    ]);
  });
});
