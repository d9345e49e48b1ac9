// Acceptance 1: an order placed over HTTP reaches OrderCompleted, the notification line is
// logged, and an analytics snapshot counts its products.
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  emailLines,
  getJson,
  getProducts,
  getStock,
  initialStock,
  orderBody,
  placeOrder,
  waitForOrderStatus,
} from '../support/orders.js';
import { useStack } from '../support/system.js';
import { eventsOf, orderEvents, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const stack = useStack({
  env: {
    // A snapshot every half second instead of every 5 s, so the test need not wait long.
    ANALYTICS_EMIT_INTERVAL_MS: '500',
    // Windows of 30 days instead of 1 min. GET /analytics/top-products serves the latest
    // snapshot, which is the current window's: with 1-min windows, an order placed just before
    // a minute ends is no longer in it a few seconds later. A 30-day window closes during a
    // test run of about a minute about once in 40,000 runs.
    ANALYTICS_WINDOW_MS: String(30 * 24 * 3600 * 1000),
  },
});

describe('an order that can be paid and delivered', () => {
  it('completes, is emailed about once, sells its stock, and is counted by analytics', async () => {
    const { url, brokers, logs } = stack();
    const gateway = url('api-gateway');
    const items = [
      { productId: 'sku-keyboard', quantity: 2 },
      { productId: 'sku-mouse', quantity: 1 },
    ];
    const placed = await placeOrder(
      gateway,
      orderBody(items, { customerEmail: 'grace@example.com' }),
    );
    expect(placed.status).toBe('PENDING');
    const { orderId } = placed;

    const order = await waitForOrderStatus(gateway, orderId, 'COMPLETED');
    expect(order.total).toBe(2 * 8_999 + 2_999);
    const timeline = order.timeline.map((entry) => `${entry.type}@${entry.topic}`);
    expect(timeline).toEqual(
      expect.arrayContaining([
        `OrderPlaced@${topics.orders.name}`,
        `PaymentAuthorized@${topics.payments.name}`,
        `InventoryReserved@${topics.inventory.name}`,
        `OrderCompleted@${topics.outcomes.name}`,
      ]),
    );
    for (const entry of order.timeline) {
      expect(Number.isInteger(Number(entry.offset))).toBe(true);
      expect(entry.partition).toBeGreaterThanOrEqual(0);
    }

    // Exactly one outcome on the topic, and it is the completion.
    const outcomes = orderEvents(await readTopic(brokers, topics.outcomes.name), orderId);
    expect(outcomes.map((event) => event.type)).toEqual(['OrderCompleted']);

    // The notification service logs the email once.
    const emails = await waitFor(
      () => {
        const found = emailLines(logs('notification-service'), orderId);
        return found.length > 0 && found;
      },
      { what: `the email line for ${orderId}` },
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatch(
      new RegExp(`email sent to=grace@example\\.com subject="[^"]+" order=${orderId}`),
    );

    // The stock is sold, not just reserved, and the gateway shows it.
    const stock = await waitFor(
      async () => {
        const rows = await getStock(url('inventory-service'));
        return rows.get('sku-keyboard')?.sold === 2 && rows;
      },
      { what: 'sku-keyboard to be sold' },
    );
    expect(stock.get('sku-keyboard')).toEqual({
      productId: 'sku-keyboard',
      initial: initialStock('sku-keyboard'),
      available: initialStock('sku-keyboard') - 2,
      reserved: 0,
      sold: 2,
    });
    expect(stock.get('sku-mouse')).toMatchObject({
      available: initialStock('sku-mouse') - 1,
      sold: 1,
    });
    await waitFor(
      async () =>
        (await getProducts(gateway)).get('sku-keyboard') === initialStock('sku-keyboard') - 2,
      { what: 'GET /products to show the keyboard stock after the sale' },
    );

    // An analytics snapshot counts the products of the order, on the topic and at the gateway.
    const snapshot = await waitFor(
      async () =>
        eventsOf(await readTopic(brokers, topics.snapshots.name), 'TopProductsUpdated').find(
          (event) =>
            event.data.byQuantity.some((r) => r.productId === 'sku-keyboard' && r.quantity === 2) &&
            event.data.byQuantity.some((r) => r.productId === 'sku-mouse' && r.quantity === 1),
        ),
      { what: 'a TopProductsUpdated that counts the order', intervalMs: 250 },
    );
    expect(snapshot.data.byRevenue).toEqual(
      expect.arrayContaining([{ productId: 'sku-keyboard', quantity: 2, revenue: 2 * 8_999 }]),
    );
    await waitFor(
      async () => {
        const top = await getJson<{ byQuantity: { productId: string; quantity: number }[] }>(
          `${gateway}/analytics/top-products`,
        ).catch(() => undefined);
        return top?.byQuantity.some((r) => r.productId === 'sku-keyboard' && r.quantity === 2);
      },
      { what: 'GET /analytics/top-products to count the keyboards' },
    );
  });
});
