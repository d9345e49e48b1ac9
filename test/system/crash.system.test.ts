// Acceptance 6: kill -9 of the saga, payment and inventory while 1,000 orders are in flight,
// then a restart. Every order has exactly one outcome, and for every product
// initial = available + reserved + sold.
import { catalog, topics, type EventOf } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { waitForQuiet } from '../support/groups.js';
import {
  cards,
  getProducts,
  getStock,
  orderBody,
  placeOrders,
  type OrderRequest,
} from '../support/orders.js';
import type { ServiceName } from '../support/stack.js';
import { useStack } from '../support/system.js';
import { eventsOf, readTopic, type TopicRecord } from '../support/topics.js';
import { waitFor } from '../support/wait.js';

const ORDERS = 1000;
const KILL_AFTER = 300;
const victims: ServiceName[] = ['order-saga', 'payment-service', 'inventory-service'];
const stack = useStack();

function bodies(): OrderRequest[] {
  // Every product, one or two at a time: far more than the stock of the scarce ones, so that
  // reservations, rejections and releases all happen around the crash. 1 in 20 is declined.
  return Array.from({ length: ORDERS }, (_, i) => {
    const product = catalog[i % catalog.length] ?? catalog[0];
    return orderBody(
      [{ productId: product?.id ?? 'sku-mouse', quantity: 1 + (i % 3 === 0 ? 1 : 0) }],
      {
        customerEmail: `crash${i}@example.com`,
        ...(i % 20 === 7 ? { cardNumber: cards.declined } : {}),
      },
    );
  });
}

/** Outcome events per order: the distinct event ids, and how many records carry them. */
function outcomesByOrder(records: readonly TopicRecord[]) {
  const byOrder = new Map<string, { ids: Set<string>; types: Set<string>; records: number }>();
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

describe('a crash of saga, payment and inventory under load', () => {
  it('loses no order, decides each once, and conserves the stock', async () => {
    const { url, brokers } = stack();
    const started = Date.now();
    let killing: Promise<void> | undefined;
    const ids = await placeOrders(url('api-gateway'), bodies(), 50, (placed) => {
      if (placed === KILL_AFTER) {
        killing = Promise.all(victims.map((name) => stack().kill(name, 'SIGKILL'))).then(
          () => undefined,
        );
      }
    });
    await killing;
    const placedMs = Date.now() - started;

    // In flight for real: with the three dead, many placed orders have no outcome yet.
    const atCrash = outcomesByOrder(await readTopic(brokers, topics.outcomes.name)).size;
    expect(atCrash).toBeLessThan(ORDERS);

    await Promise.all(victims.map((name) => stack().start(name)));
    const outcomes = await waitFor(
      async () => {
        const byOrder = outcomesByOrder(await readTopic(brokers, topics.outcomes.name));
        return ids.every((id) => byOrder.has(id)) && byOrder;
      },
      { what: `an outcome for each of the ${ORDERS} orders`, timeoutMs: 180_000, intervalMs: 1000 },
    );
    await waitForQuiet(brokers, { timeoutMs: 120_000 });
    console.log(
      `[crash] ${ORDERS} orders placed in ${placedMs} ms, ${atCrash} decided at the crash, all decided after ${Date.now() - started} ms`,
    );

    // Exactly one outcome each: one event (a redo after the crash may write the very same event,
    // same id, again; every consumer suppresses it by id), and none for an unknown order.
    const final = outcomesByOrder(await readTopic(brokers, topics.outcomes.name));
    expect([...final.keys()].filter((id) => !ids.includes(id))).toEqual([]);
    const notOne = ids.filter(
      (id) => final.get(id)?.ids.size !== 1 || final.get(id)?.types.size !== 1,
    );
    expect(notOne).toEqual([]);
    const copies = [...final.values()].reduce((sum, entry) => sum + entry.records - 1, 0);
    console.log(`[crash] identical outcome records written again by a redo: ${copies}`);
    expect(outcomes.size).toBe(ORDERS);

    // The stock is conserved, nothing is left reserved, and what is sold is what completed.
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
        const rows = await getStock(url('inventory-service'));
        return [...rows.values()].every((row) => row.reserved === 0) && rows;
      },
      { what: 'no stock left reserved' },
    );
    expect(stock.size).toBe(catalog.length);
    const products = await getProducts(url('api-gateway'));
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
  }, 360_000);
});
