// Acceptance 3: an order for more than is in stock is cancelled with reason inventory, and the
// payment that was authorized for it is voided (PaymentVoided).
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  getStock,
  initialStock,
  orderBody,
  placeOrder,
  waitForOrderStatus,
} from '../support/orders.js';
import { useStack } from '../support/system.js';
import { orderEvents, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const stack = useStack();

describe('an order for more than is in stock', () => {
  it('is cancelled for inventory, the payment is voided, and no stock moves', async () => {
    const { url, brokers } = stack();
    const gateway = url('api-gateway');
    const gpus = initialStock('sku-gpu'); // 3
    // Also a keyboard, to check that an order is reserved whole or not at all.
    const { orderId } = await placeOrder(
      gateway,
      orderBody([
        { productId: 'sku-keyboard', quantity: 1 },
        { productId: 'sku-gpu', quantity: gpus + 1 },
      ]),
    );

    const order = await waitForOrderStatus(gateway, orderId, 'CANCELLED');
    expect(order.reason).toBe('inventory');

    const inventory = orderEvents(await readTopic(brokers, topics.inventory.name), orderId);
    expect(inventory.map((event) => event.type)).toEqual(['InventoryRejected']);
    const [rejected] = inventory;
    expect(rejected?.type === 'InventoryRejected' && rejected.data).toEqual({
      reason: 'insufficient_stock',
      shortages: [{ productId: 'sku-gpu', requested: gpus + 1, available: gpus }],
    });

    const outcomes = orderEvents(await readTopic(brokers, topics.outcomes.name), orderId);
    expect(outcomes.map((event) => event.type)).toEqual(['OrderCancelled']);
    expect(outcomes[0]?.type === 'OrderCancelled' && outcomes[0].data.reasons).toEqual([
      'inventory',
    ]);

    // Compensation: the authorization is voided, once, for the same payment and amount.
    const payments = await waitFor(
      async () => {
        const events = orderEvents(await readTopic(brokers, topics.payments.name), orderId);
        return events.some((event) => event.type === 'PaymentVoided') && events;
      },
      { what: `PaymentVoided for ${orderId}` },
    );
    expect(payments.map((event) => event.type)).toEqual(['PaymentAuthorized', 'PaymentVoided']);
    const [authorized, voided] = payments;
    if (authorized?.type !== 'PaymentAuthorized' || voided?.type !== 'PaymentVoided') return;
    expect(voided.data).toEqual({
      paymentId: authorized.data.paymentId,
      amount: authorized.data.amount,
    });
    expect(authorized.data.amount).toBe(order.total);

    // All or nothing: the keyboard was not reserved either.
    const stock = await getStock(url('inventory-service'));
    for (const productId of ['sku-keyboard', 'sku-gpu']) {
      expect(stock.get(productId)).toMatchObject({
        available: initialStock(productId),
        reserved: 0,
        sold: 0,
      });
    }
  });
});
