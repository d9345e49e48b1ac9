/**
 * What the topics say happened to the orders of a fault run, and whether the stock adds up:
 * pure functions over the records read after the drain.
 */
import { catalog } from '@kafkadog/contracts';

export type OutcomeType = 'OrderCompleted' | 'OrderCancelled';

/** One record on orders.outcome.v1. */
export interface OutcomeRecord {
  readonly orderId: string;
  readonly eventId: string;
  readonly type: OutcomeType;
  /** An OrderCancelled's reasons (`inventory`, `payment`, `timeout`); empty for a completion. */
  readonly reasons: readonly string[];
}

/** One OrderPlaced on orders.v1. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
}

export interface OrderTally {
  /** POSTs answered 201: from then on the order is the system's to finish. */
  readonly accepted: number;
  /** POSTs not answered 201 (the gateway down, 503…): no order, so nothing to lose. */
  readonly failed: number;
  readonly failedBy: Readonly<Record<string, number>>;
  /** OrderPlaced records on orders.v1. */
  readonly placed: number;
  /** On orders.v1 but never answered 201 (the gateway died before it answered). */
  readonly unconfirmed: number;
  readonly completed: number;
  readonly cancelled: number;
  /** Cancellations by their reasons, e.g. `inventory` or `payment+timeout`. */
  readonly cancelledBy: Readonly<Record<string, number>>;
  /** Answered 201, yet no OrderPlaced on orders.v1: the gateway acknowledged what Kafka lost. */
  readonly neverWritten: readonly string[];
  /** On orders.v1, no outcome after the drain. */
  readonly lost: readonly string[];
  /** Orders with more than one outcome event (different event ids). */
  readonly duplicates: readonly string[];
  /**
   * Outcome records that repeat an event already written, same event id: at-least-once redoes
   * a batch after a crash and writes the very same events, which every consumer suppresses by id.
   */
  readonly copies: number;
  /** Outcomes of orders that were never placed. */
  readonly unknown: readonly string[];
}

export function tallyOrders(input: {
  readonly accepted: readonly string[];
  readonly failedBy: Readonly<Record<string, number>>;
  readonly placed: readonly PlacedOrder[];
  readonly outcomes: readonly OutcomeRecord[];
}): OrderTally {
  const placedIds = new Set(input.placed.map((order) => order.orderId));
  const accepted = new Set(input.accepted);
  const byOrder = new Map<string, Map<string, OutcomeRecord>>();
  let copies = 0;
  for (const outcome of input.outcomes) {
    const events = byOrder.get(outcome.orderId) ?? new Map<string, OutcomeRecord>();
    if (events.has(outcome.eventId)) copies++;
    else events.set(outcome.eventId, outcome);
    byOrder.set(outcome.orderId, events);
  }
  let completed = 0;
  let cancelled = 0;
  const cancelledBy: Record<string, number> = {};
  const lost: string[] = [];
  const duplicates: string[] = [];
  for (const orderId of placedIds) {
    const events = [...(byOrder.get(orderId)?.values() ?? [])];
    const first = events[0];
    if (!first) {
      lost.push(orderId);
      continue;
    }
    if (events.length > 1) duplicates.push(orderId);
    if (first.type === 'OrderCompleted') completed++;
    else {
      cancelled++;
      const reason = [...first.reasons].sort().join('+') || 'unknown';
      cancelledBy[reason] = (cancelledBy[reason] ?? 0) + 1;
    }
  }
  const failed = Object.values(input.failedBy).reduce((sum, count) => sum + count, 0);
  return {
    accepted: accepted.size,
    failed,
    failedBy: input.failedBy,
    placed: placedIds.size,
    unconfirmed: [...placedIds].filter((id) => !accepted.has(id)).length,
    completed,
    cancelled,
    cancelledBy,
    neverWritten: [...accepted].filter((id) => !placedIds.has(id)),
    lost,
    duplicates,
    copies,
    unknown: [...byOrder.keys()].filter((id) => !placedIds.has(id)),
  };
}

/** GET /stock of inventory-service: one row per product. */
export interface StockRow {
  readonly productId: string;
  readonly initial: number;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
}

export interface StockBalanceRow {
  readonly productId: string;
  /** The catalog's stock times the run's INVENTORY_STOCK_SCALE. */
  readonly initial: number;
  /** Units in the orders that completed, by their OrderPlaced. */
  readonly sold: number;
  /** What inventory reports (undefined when it has no row for the product). */
  readonly available: number | undefined;
  readonly reserved: number | undefined;
  readonly inventorySold: number | undefined;
  /** What the gateway's GET /products shows. */
  readonly shown: number | undefined;
  /** Empty when the product balances. */
  readonly problems: readonly string[];
}

/**
 * For every catalog product: initial − units sold by completed orders = what inventory has
 * available, nothing left reserved, inventory's own count of sold units agrees, and the gateway
 * shows the same stock.
 */
export function stockBalance(input: {
  readonly stockScale: number;
  readonly placed: readonly PlacedOrder[];
  readonly completedOrderIds: Iterable<string>;
  readonly stock: readonly StockRow[];
  readonly shown: ReadonlyMap<string, number>;
}): StockBalanceRow[] {
  const items = new Map(input.placed.map((order) => [order.orderId, order.items]));
  const sold = new Map<string, number>();
  for (const orderId of new Set(input.completedOrderIds)) {
    for (const line of items.get(orderId) ?? []) {
      sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
    }
  }
  const rows = new Map(input.stock.map((row) => [row.productId, row]));
  return catalog.map((product) => {
    const initial = product.initialStock * input.stockScale;
    const soldUnits = sold.get(product.id) ?? 0;
    const row = rows.get(product.id);
    const shown = input.shown.get(product.id);
    const problems: string[] = [];
    if (!row) problems.push('inventory has no row for it');
    else {
      if (row.initial !== initial) problems.push(`inventory starts from ${row.initial}`);
      if (initial - soldUnits !== row.available) {
        problems.push(`initial − sold = ${initial - soldUnits}, inventory has ${row.available}`);
      }
      if (row.reserved !== 0) problems.push(`${row.reserved} still reserved`);
      if (row.sold !== soldUnits) problems.push(`inventory counts ${row.sold} sold`);
      if (shown !== row.available) problems.push(`the gateway shows ${shown ?? 'nothing'}`);
    }
    return {
      productId: product.id,
      initial,
      sold: soldUnits,
      available: row?.available,
      reserved: row?.reserved,
      inventorySold: row?.sold,
      shown,
      problems,
    };
  });
}
