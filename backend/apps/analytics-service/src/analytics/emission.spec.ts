import { createEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { initialEmission, keepWindowsFor, planTick, type EmissionState } from './emission.js';
import { evict, evolve, initialAnalyticsState, type AnalyticsState } from './window.js';

const minute = 60_000;
const T0 = Date.parse('2025-01-01T12:00:00.000Z'); // a window boundary
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function order(at: number, productId = 'sku-mouse', quantity = 1) {
  const items = [{ productId, quantity, unitPrice: 100 }];
  const data = {
    customerEmail: 'ada@example.com',
    items,
    total: 100 * quantity,
    cardNumber: '4242424242424242',
  };
  return { ...createEvent('OrderPlaced', data), occurredAt: iso(at) };
}

/** Runs ticks as the adapter does (every publish succeeds); returns the windows published. */
function tick(state: AnalyticsState, emission: EmissionState, now: number) {
  const { snapshots, next } = planTick(state, emission, T0 + now, 5);
  return {
    published: snapshots.map((s) => [s.windowStart, s.pageviews.total, s.byQuantity]),
    next,
  };
}

describe('planning a tick', () => {
  it('given nothing counted, when it ticks, then the current window is published, empty', () => {
    const { snapshots } = planTick(initialAnalyticsState(), initialEmission, T0 + 5_000, 5);

    expect(snapshots).toEqual([
      {
        windowStart: iso(0),
        windowEnd: iso(minute),
        byQuantity: [],
        byRevenue: [],
        pageviews: { total: 0, byPage: {} },
      },
    ]);
  });

  it('given the current window, when it ticks again, then it is published again with what came in', () => {
    let state = evolve(initialAnalyticsState(), order(1_000));
    const first = tick(state, initialEmission, 5_000);
    state = evolve(state, order(6_000));

    const second = tick(state, first.next, 10_000);

    expect(second.published).toEqual([
      [iso(0), 0, [{ productId: 'sku-mouse', quantity: 2, revenue: 200 }]],
    ]);
  });

  it('given a window that just closed, then its final snapshot goes out once, before the current one', () => {
    const state = evolve(initialAnalyticsState(), order(50_000));
    const before = tick(state, initialEmission, 55_000);

    const after = tick(state, before.next, minute + 2_000);
    const later = tick(state, after.next, minute + 7_000);

    expect(after.published.map(([start]) => start)).toEqual([iso(0), iso(minute)]);
    expect(after.published[0]?.[2]).toEqual([
      { productId: 'sku-mouse', quantity: 1, revenue: 100 },
    ]);
    expect(later.published.map(([start]) => start)).toEqual([iso(minute)]);
  });

  it('gives an empty window that was current a final snapshot too', () => {
    const state = initialAnalyticsState();
    const before = tick(state, initialEmission, 55_000);

    expect(tick(state, before.next, minute + 1).published.map(([start]) => start)).toEqual([
      iso(0),
      iso(minute),
    ]);
  });

  it('given a late event for a closed window still kept, then that window gets a new final snapshot', () => {
    let state = evolve(initialAnalyticsState(), order(50_000));
    const closed = tick(state, tick(state, initialEmission, 55_000).next, minute + 1_000);
    state = evolve(state, order(59_000));

    const late = tick(state, closed.next, minute + 6_000);

    expect(late.published.map(([start, , ranks]) => [start, ranks])).toEqual([
      [iso(0), [{ productId: 'sku-mouse', quantity: 2, revenue: 200 }]],
      [iso(minute), []],
    ]);
  });

  it('given windows rebuilt after a restart, then the closed one still kept is published once more', () => {
    const state = [order(10_000), order(minute + 1_000)].reduce(evolve, initialAnalyticsState());

    expect(tick(state, initialEmission, minute + 5_000).published.map(([start]) => start)).toEqual([
      iso(0),
      iso(minute),
    ]);
  });

  it('given an evicted window, then it is never published again, and forgotten', () => {
    let state = evolve(initialAnalyticsState(), order(10_000));
    const closed = tick(state, initialEmission, minute + 1_000);
    state = evict(state, T0 + 2 * minute + 1_000, 2);

    const next = tick(state, closed.next, 2 * minute + 1_000);

    expect(next.published.map(([start]) => start)).toEqual([iso(minute), iso(2 * minute)]);
    expect([...next.next.finals.keys()]).toEqual([T0 + minute]);
  });
});

describe('windows to keep', () => {
  it('keeps the current and the previous window when ticks are shorter than windows', () => {
    expect(keepWindowsFor(60_000, 5_000)).toBe(2);
    expect(keepWindowsFor(60_000, 60_000)).toBe(2);
  });

  it('keeps every window that can close between two ticks', () => {
    expect(keepWindowsFor(1_000, 5_000)).toBe(6);
    expect(keepWindowsFor(2_000, 5_000)).toBe(4);
  });
});
