import type { DataOf, EventOf } from '@kafkadog/contracts';

/**
 * Tumbling event-time windows: each OrderPlaced and PageViewed is counted in the window its
 * `occurredAt` falls in, whenever it arrives. `evolve` counts, `snapshot` reads a window out as
 * TopProductsUpdated data, `evict` forgets old windows to bound memory. An event id is counted
 * once per window (an event's windows never differ: its occurredAt is fixed).
 */

export const DEFAULT_WINDOW_MS = 60_000;

export type AnalyticsInput = EventOf<'OrderPlaced'> | EventOf<'PageViewed'>;
export type TopProducts = DataOf<'TopProductsUpdated'>;
export type ProductRank = TopProducts['byQuantity'][number];

interface ProductTally {
  readonly quantity: number;
  readonly revenue: number;
}

/**
 * Event ids counted in a window, in shards keyed by the id's last two hex digits: counting an
 * id copies one small shard and the shard index, where copying one set per event would cost
 * O(n²) over a busy window. (Last digits: random in both UUID v4 and v7.)
 */
type CountedIds = ReadonlyMap<string, ReadonlySet<string>>;

export interface Window {
  readonly start: number;
  // Maps, not records: page names come from the browser, and "__proto__" is a valid one.
  readonly products: ReadonlyMap<string, ProductTally>;
  readonly pages: ReadonlyMap<string, number>;
  readonly counted: CountedIds;
}

export interface AnalyticsState {
  readonly windowMs: number;
  /** By window start, epoch ms. */
  readonly windows: ReadonlyMap<number, Window>;
  /** Windows starting before this were evicted: late events for them are dropped, not recounted. */
  readonly horizon: number;
}

export function initialAnalyticsState(windowMs: number = DEFAULT_WINDOW_MS): AnalyticsState {
  if (!Number.isInteger(windowMs) || windowMs <= 0) {
    throw new RangeError(`window length must be a positive integer of ms, got ${windowMs}`);
  }
  return { windowMs, windows: new Map(), horizon: -Infinity };
}

/** The start of the window that `time` (epoch ms) falls in. */
export function windowStartOf(time: number, windowMs: number): number {
  return time - (((time % windowMs) + windowMs) % windowMs);
}

export function evolve(state: AnalyticsState, event: AnalyticsInput): AnalyticsState {
  const start = windowStartOf(Date.parse(event.occurredAt), state.windowMs);
  if (start < state.horizon) return state;
  const window = state.windows.get(start) ?? emptyWindow(start);
  if (isCounted(window.counted, event.id)) return state;

  const counted = withCounted(window.counted, event.id);
  const next = { ...count(window, event), counted };
  return { ...state, windows: new Map(state.windows).set(start, next) };
}

/** Whether the event was already counted in its window (a redelivery): evolve would ignore it. */
export function hasCounted(state: AnalyticsState, event: AnalyticsInput): boolean {
  const window = state.windows.get(windowStartOf(Date.parse(event.occurredAt), state.windowMs));
  return window !== undefined && isCounted(window.counted, event.id);
}

/** Whether the event falls in a window already evicted: evolve drops it. */
export function isTooLate(state: AnalyticsState, event: AnalyticsInput): boolean {
  return windowStartOf(Date.parse(event.occurredAt), state.windowMs) < state.horizon;
}

/** The window starting at (or containing) `windowStart`, as TopProductsUpdated data. */
export function snapshot(state: AnalyticsState, windowStart: number, topN = 5): TopProducts {
  const start = windowStartOf(windowStart, state.windowMs);
  const window = state.windows.get(start) ?? emptyWindow(start);
  const ranks = [...window.products].map(([productId, tally]) => ({ productId, ...tally }));
  const pages = [...window.pages].sort(([a], [b]) => compareText(a, b));
  return {
    windowStart: new Date(start).toISOString(),
    windowEnd: new Date(start + state.windowMs).toISOString(),
    byQuantity: top(ranks, (rank) => rank.quantity, topN),
    byRevenue: top(ranks, (rank) => rank.revenue, topN),
    pageviews: {
      total: pages.reduce((sum, [, views]) => sum + views, 0),
      byPage: Object.fromEntries(pages),
    },
  };
}

/**
 * Keeps the `keepWindows` most recent windows up to the one containing `now` (and any later
 * one), forgets the rest, and from then on drops events that would fall in a forgotten window.
 */
export function evict(state: AnalyticsState, now: number, keepWindows: number): AnalyticsState {
  if (!Number.isInteger(keepWindows) || keepWindows < 1) {
    throw new RangeError(`keepWindows must be a positive integer, got ${keepWindows}`);
  }
  const horizon = windowStartOf(now, state.windowMs) - (keepWindows - 1) * state.windowMs;
  if (horizon <= state.horizon) return state;
  const windows = new Map([...state.windows].filter(([start]) => start >= horizon));
  return { ...state, windows, horizon };
}

function emptyWindow(start: number): Window {
  return { start, products: new Map(), pages: new Map(), counted: new Map() };
}

function count(window: Window, event: AnalyticsInput): Window {
  switch (event.type) {
    case 'OrderPlaced': {
      const products = new Map(window.products);
      for (const { productId, quantity, unitPrice } of event.data.items) {
        const tally = products.get(productId) ?? { quantity: 0, revenue: 0 };
        products.set(productId, {
          quantity: tally.quantity + quantity,
          revenue: tally.revenue + quantity * unitPrice,
        });
      }
      return { ...window, products };
    }
    case 'PageViewed': {
      const { page } = event.data;
      const pages = new Map(window.pages).set(page, (window.pages.get(page) ?? 0) + 1);
      return { ...window, pages };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`Unhandled event ${(unhandled as { type: string }).type}`);
    }
  }
}

function top(ranks: ProductRank[], by: (rank: ProductRank) => number, n: number): ProductRank[] {
  return [...ranks]
    .sort((a, b) => by(b) - by(a) || compareText(a.productId, b.productId))
    .slice(0, n);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const shardOf = (id: string): string => id.slice(-2);

function isCounted(counted: CountedIds, id: string): boolean {
  return counted.get(shardOf(id))?.has(id) ?? false;
}

function withCounted(counted: CountedIds, id: string): CountedIds {
  const shard = shardOf(id);
  return new Map(counted).set(shard, new Set(counted.get(shard)).add(id));
}
