import { createEvent, validateEvent, type OrderLine } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_MS,
  evict,
  hasCounted,
  isTooLate,
  evolve,
  initialAnalyticsState,
  snapshot,
  windowStartOf,
  type AnalyticsInput,
  type AnalyticsState,
} from './window.js';

const T0 = Date.parse('2025-01-01T12:00:00.000Z'); // a window boundary for 60 s windows
const at = (ms: number) => new Date(T0 + ms).toISOString();

function orderPlaced(
  occurredAt: string,
  lines: [productId: string, quantity: number, unitPrice: number][],
) {
  const items: OrderLine[] = lines.map(([productId, quantity, unitPrice]) => ({
    productId,
    quantity,
    unitPrice,
  }));
  const total = items.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  const event = createEvent('OrderPlaced', {
    customerEmail: 'ada@example.com',
    items,
    total,
    cardNumber: '4242424242424242',
  });
  return { ...event, occurredAt };
}

function pageViewed(occurredAt: string, page: string) {
  return { ...createEvent('PageViewed', { page, sessionId: 's-1' }), occurredAt };
}

function given(...events: AnalyticsInput[]): AnalyticsState {
  return events.reduce(evolve, initialAnalyticsState());
}

describe('window assignment', () => {
  it('aligns a time to the start of its window; a boundary opens the next window', () => {
    expect(windowStartOf(T0, 60_000)).toBe(T0);
    expect(windowStartOf(T0 + 59_999, 60_000)).toBe(T0);
    expect(windowStartOf(T0 + 60_000, 60_000)).toBe(T0 + 60_000);
    expect(windowStartOf(T0 + 10_001, 10_000)).toBe(T0 + 10_000);
  });

  it('given events arriving out of order, when counted, then each lands in the window of its occurredAt', () => {
    const state = given(
      orderPlaced(at(61_000), [['sku-mouse', 1, 2_999]]),
      orderPlaced(at(1_000), [['sku-gpu', 1, 79_900]]),
      orderPlaced(at(59_999), [['sku-gpu', 2, 79_900]]),
    );

    expect(snapshot(state, T0).byQuantity).toEqual([
      { productId: 'sku-gpu', quantity: 3, revenue: 239_700 },
    ]);
    expect(snapshot(state, T0 + 60_000).byQuantity).toEqual([
      { productId: 'sku-mouse', quantity: 1, revenue: 2_999 },
    ]);
  });

  it('uses a configurable window length, 60 s by default', () => {
    expect(initialAnalyticsState().windowMs).toBe(DEFAULT_WINDOW_MS);
    expect(DEFAULT_WINDOW_MS).toBe(60_000);
    const state = [
      orderPlaced(at(1_000), [['sku-mouse', 1, 2_999]]),
      orderPlaced(at(11_000), [['sku-mouse', 1, 2_999]]),
    ].reduce(evolve, initialAnalyticsState(10_000));

    expect(state.windows.size).toBe(2);
    expect(snapshot(state, T0 + 10_000)).toMatchObject({
      windowStart: at(10_000),
      windowEnd: at(20_000),
    });
    expect(() => initialAnalyticsState(0)).toThrow(RangeError);
  });
});

describe('counting', () => {
  it('given orders, then quantity and revenue add up per product across orders and lines', () => {
    const state = given(
      orderPlaced(at(1), [
        ['sku-keyboard', 2, 8_999],
        ['sku-mouse', 1, 2_999],
      ]),
      orderPlaced(at(2), [['sku-keyboard', 1, 8_999]]),
    );

    expect(snapshot(state, T0).byQuantity).toEqual([
      { productId: 'sku-keyboard', quantity: 3, revenue: 26_997 },
      { productId: 'sku-mouse', quantity: 1, revenue: 2_999 },
    ]);
  });

  it('given page views, then they are counted per page and in total', () => {
    const state = given(
      pageViewed(at(1), '/products'),
      pageViewed(at(2), '/orders'),
      pageViewed(at(3), '/products'),
    );

    expect(snapshot(state, T0).pageviews).toEqual({
      total: 3,
      byPage: { '/orders': 1, '/products': 2 },
    });
  });

  it('counts a page named like an Object.prototype member as any other page', () => {
    const state = given(
      pageViewed(at(1), '__proto__'),
      pageViewed(at(2), '__proto__'),
      pageViewed(at(3), 'constructor'),
    );

    const { byPage } = snapshot(state, T0).pageviews;
    expect(Object.hasOwn(byPage, '__proto__') && byPage['__proto__']).toBe(2);
    expect(byPage['constructor']).toBe(1);
  });
});

describe('idempotency', () => {
  it('given an event already counted, when it is delivered again, then nothing changes', () => {
    const order = orderPlaced(at(1), [['sku-gpu', 1, 79_900]]);
    const view = pageViewed(at(2), '/products');
    const once = given(order, view);

    expect(evolve(once, order)).toBe(once);
    expect(evolve(once, view)).toBe(once);
    expect(snapshot(once, T0)).toMatchObject({
      byQuantity: [{ quantity: 1 }],
      pageviews: { total: 1 },
    });
  });

  it('given many distinct events, then every one counts (ids are not confused across shards)', () => {
    const views = Array.from({ length: 2_000 }, (_, i) => pageViewed(at(i), '/products'));
    const state = [...views, ...views].reduce(evolve, initialAnalyticsState());
    expect(snapshot(state, T0).pageviews.total).toBe(2_000);
  });

  it('does not change the state it was given', () => {
    const before = given(orderPlaced(at(1), [['sku-gpu', 1, 79_900]]));
    const copy = snapshot(before, T0);

    evolve(before, orderPlaced(at(2), [['sku-gpu', 1, 79_900]]));
    evolve(before, pageViewed(at(3), '/'));

    expect(snapshot(before, T0)).toEqual(copy);
  });
});

describe('snapshots', () => {
  const state = given(
    orderPlaced(at(1), [
      ['sku-mouse', 10, 2_999], //  29 990
      ['sku-laptop', 1, 129_900], // 129 900
      ['sku-gpu', 2, 79_900], //    159 800
      ['sku-webcam', 2, 5_999], //   11 998
      ['sku-hub', 10, 3_000], //     30 000
    ]),
  );

  it('ranks the top N by quantity and by revenue, ties broken by productId', () => {
    const top = snapshot(state, T0, 3);

    expect(top.byQuantity.map((r) => [r.productId, r.quantity])).toEqual([
      ['sku-hub', 10],
      ['sku-mouse', 10],
      ['sku-gpu', 2],
    ]);
    expect(top.byRevenue.map((r) => [r.productId, r.revenue])).toEqual([
      ['sku-gpu', 159_800],
      ['sku-laptop', 129_900],
      ['sku-hub', 30_000],
    ]);
  });

  it('is valid TopProductsUpdated data, with ISO window bounds', () => {
    const data = snapshot(state, T0);

    expect(data.windowStart).toBe('2025-01-01T12:00:00.000Z');
    expect(data.windowEnd).toBe('2025-01-01T12:01:00.000Z');
    expect(data.byQuantity).toHaveLength(5);
    expect(() => validateEvent(createEvent('TopProductsUpdated', data))).not.toThrow();
  });

  it('accepts any time inside the window, and reads an empty window as zeros', () => {
    expect(snapshot(state, T0 + 42_000)).toEqual(snapshot(state, T0));
    expect(snapshot(state, T0 + 3_600_000)).toMatchObject({
      byQuantity: [],
      byRevenue: [],
      pageviews: { total: 0, byPage: {} },
    });
  });
});

describe('eviction', () => {
  const minute = 60_000;
  const threeWindows = given(
    pageViewed(at(0), '/a'),
    pageViewed(at(minute), '/b'),
    pageViewed(at(2 * minute), '/c'),
  );

  it('given three windows, when keeping 2 at the third one, then the oldest is forgotten', () => {
    const state = evict(threeWindows, T0 + 2 * minute + 5_000, 2);

    expect([...state.windows.keys()]).toEqual([T0 + minute, T0 + 2 * minute]);
  });

  it('given an evicted window, when a late event for it arrives, then it is dropped, not recounted', () => {
    const state = evict(threeWindows, T0 + 2 * minute, 2);

    const late = evolve(state, pageViewed(at(30_000), '/a'));

    expect(late).toBe(state);
    expect(late.windows.has(T0)).toBe(false);
  });

  it('keeps windows after now, and never moves its horizon back', () => {
    const state = evict(threeWindows, T0, 1);
    expect(state.windows.size).toBe(3);
    const later = evict(threeWindows, T0 + 2 * minute, 1);
    expect(evict(later, T0, 5)).toBe(later);
  });

  it('rejects keeping fewer than one window', () => {
    expect(() => evict(threeWindows, T0, 0)).toThrow(RangeError);
  });
});

describe('asking before counting', () => {
  it('tells a counted event from a new one, and an event for an evicted window as too late', () => {
    const counted = orderPlaced(at(1), [['sku-gpu', 1, 79_900]]);
    const fresh = orderPlaced(at(2), [['sku-gpu', 1, 79_900]]);
    const state = evict(given(counted), T0 + 60_000, 1);

    expect(hasCounted(given(counted), counted)).toBe(true);
    expect(hasCounted(given(counted), fresh)).toBe(false);
    expect(isTooLate(given(counted), fresh)).toBe(false);
    expect(isTooLate(state, fresh)).toBe(true);
    expect(evolve(state, fresh)).toBe(state);
  });
});
