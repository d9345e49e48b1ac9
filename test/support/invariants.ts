/**
 * The system's promises, checked over what the topics hold: one outcome per order, and stock
 * conserved with what was sold being what completed.
 */
import { catalog, topics, type EventOf } from '@kafkadog/contracts';
import { expect } from 'vitest';
import { getProducts, getStock, type StockRow } from './orders.js';
import { eventsOf, readTopic, type TopicRecord } from './topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

export interface OrderOutcomes {
  /** Distinct outcome event ids (a redo after a crash may write the very same event again). */
  readonly ids: Set<string>;
  readonly types: Set<string>;
  /** Records carrying them. */
  records: number;
}

/** Outcome events per order id. */
export function outcomesByOrder(records: readonly TopicRecord[]): Map<string, OrderOutcomes> {
  const byOrder = new Map<string, OrderOutcomes>();
  for (const event of eventsOf(records)) {
    if (!event.orderId) continue;
    const entry = byOrder.get(event.orderId) ?? { ids: new Set(), types: new Set(), records: 0 };
    entry.ids.add(event.id);
    entry.types.add(event.type);
    entry.records++;
    byOrder.set(event.orderId, entry);
  }
  return byOrder;
}

/**
 * Exactly one outcome for each of `orderIds` (one event id: copies of the same event are
 * suppressed by every consumer) and none for an order not placed. Returns how many identical
 * copies were written by redos.
 */
export async function expectOneOutcomeEach(
  brokers: string[],
  orderIds: readonly string[],
): Promise<number> {
  const final = outcomesByOrder(await readTopic(brokers, topics.outcomes.name));
  const placed = new Set(orderIds);
  expect([...final.keys()].filter((id) => !placed.has(id))).toEqual([]);
  const notOne = orderIds.filter(
    (id) => final.get(id)?.ids.size !== 1 || final.get(id)?.types.size !== 1,
  );
  expect(notOne).toEqual([]);
  return [...final.values()].reduce((sum, entry) => sum + entry.records - 1, 0);
}

/**
 * For every product: initial = available + reserved + sold, nothing left reserved, sold = what
 * the completed orders hold, and the gateway shows what inventory has available.
 */
export async function expectStockConserved(
  brokers: string[],
  inventoryUrl: string,
  gatewayUrl: string,
): Promise<Map<string, StockRow>> {
  const placedEvents = new Map(
    eventsOf(await readTopic(brokers, topics.orders.name), 'OrderPlaced').map((e) => [
      e.orderId,
      e,
    ]),
  );
  const completed = eventsOf(await readTopic(brokers, topics.outcomes.name), 'OrderCompleted');
  const soldByProduct = new Map<string, number>();
  for (const orderId of new Set(completed.map((event) => event.orderId))) {
    const placed = placedEvents.get(orderId) as EventOf<'OrderPlaced'>;
    for (const line of placed.data.items) {
      soldByProduct.set(line.productId, (soldByProduct.get(line.productId) ?? 0) + line.quantity);
    }
  }
  const stock = await waitFor(
    async () => {
      const rows = await getStock(inventoryUrl);
      return [...rows.values()].every((row) => row.reserved === 0) && rows;
    },
    { what: 'no stock left reserved' },
  );
  expect(stock.size).toBe(catalog.length);
  const products = await waitFor(
    async () => {
      const shown = await getProducts(gatewayUrl);
      return (
        [...stock.values()].every((row) => shown.get(row.productId) === row.available) && shown
      );
    },
    { what: 'the gateway to show the stock inventory has' },
  );
  for (const product of catalog) {
    const row = stock.get(product.id);
    expect(row, product.id).toBeDefined();
    if (!row) continue;
    expect(row.initial, product.id).toBe(product.initialStock);
    expect(row.available + row.reserved + row.sold, product.id).toBe(product.initialStock);
    expect(row.available, product.id).toBeGreaterThanOrEqual(0);
    expect(row.sold, product.id).toBe(soldByProduct.get(product.id) ?? 0);
    expect(products.get(product.id), product.id).toBe(row.available);
  }
  return stock;
}
