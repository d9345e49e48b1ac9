// Acceptance 6: kill -9 of the saga, payment and inventory while 1,000 orders are in flight,
// then a restart. Every order has exactly one outcome, and for every product
// initial = available + reserved + sold.
import { catalog, topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { waitForQuiet } from '../support/groups.js';
import { cards, orderBody, placeOrders, type OrderRequest } from '../support/orders.js';
import type { ServiceName } from '../../scripts/lib/stack.js';
import {
  expectOneOutcomeEach,
  expectStockConserved,
  outcomesByOrder,
} from '../support/invariants.js';
import { useStack } from '../support/system.js';
import { readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

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
    const copies = await expectOneOutcomeEach(brokers, ids);
    console.log(`[crash] identical outcome records written again by a redo: ${copies}`);
    expect(outcomes.size).toBe(ORDERS);

    // The stock is conserved, nothing is left reserved, and what is sold is what completed.
    await expectStockConserved(brokers, url('inventory-service'), url('api-gateway'));
  }, 360_000);
});
