import { describe, expect, it } from 'vitest';
import { HopTracker } from './hops.js';

describe('HopTracker', () => {
  it('splits each step into the wait for the service and its processing; the saga answers the later reply', () => {
    const hops = new HopTracker();
    hops.placed('o1', 1_000);
    hops.step('o1', 'payment', 1_010, 1_004); // waited 4, processed 6
    hops.step('o1', 'inventory', 1_020, 1_002); // waited 2, processed 18
    hops.step('o1', 'saga', 1_030, 1_025); // the later reply at 1_020: waited 5, processed 5
    hops.step('o1', 'payment', 9_999, 9_000); // a duplicate: the first record counts

    const breakdown = hops.breakdown(['o1']);

    expect(breakdown.payment).toEqual({
      waited: { p50Ms: 4, p99Ms: 4 },
      processed: { p50Ms: 6, p99Ms: 6 },
    });
    expect(breakdown.inventory.processed.p50Ms).toBe(18);
    expect(breakdown.saga).toEqual({
      waited: { p50Ms: 5, p99Ms: 5 },
      processed: { p50Ms: 5, p99Ms: 5 },
    });
  });

  it('leaves out orders it did not see placed, and records without handled-at', () => {
    const hops = new HopTracker();
    hops.step('unplaced', 'payment', 10, 5);
    hops.placed('o2', 100);
    hops.step('o2', 'payment', 110, undefined);

    const breakdown = hops.breakdown(['unplaced', 'o2', 'unknown']);

    expect(breakdown.payment.waited).toEqual({ p50Ms: null, p99Ms: null });
    expect(breakdown.saga.processed).toEqual({ p50Ms: null, p99Ms: null });
  });
});
