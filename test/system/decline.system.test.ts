// Acceptance 2: a declined payment cancels the order with reason payment, the reserved stock is
// released (InventoryReleased), and the stock is back to its initial value.
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  cards,
  getProducts,
  getStock,
  initialStock,
  orderBody,
  placeOrder,
  putFaults,
  waitForOrderStatus,
  type OrderRequest,
} from '../support/orders.js';
import { useStack } from '../support/system.js';
import { orderEvents, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const stack = useStack();

describe('a payment that is declined', () => {
  it.each([
    {
      rule: 'the declined test card',
      body: orderBody([{ productId: 'sku-webcam', quantity: 3 }], { cardNumber: cards.declined }),
      detail: 'card_declined',
    },
    {
      rule: 'a total over the 500 000-cent limit',
      body: orderBody([{ productId: 'sku-laptop', quantity: 4 }]), // 4 × 129 900
      detail: 'limit_exceeded',
    },
  ])(
    '($rule) cancels the order, releases the reserved stock, and restores it',
    async ({ body, detail }) => {
      const { url, brokers } = stack();
      const gateway = url('api-gateway');
      const [{ productId, quantity }] = body.items as [{ productId: string; quantity: number }];
      const { orderId } = await placeOrder(gateway, body);

      const order = await waitForOrderStatus(gateway, orderId, 'CANCELLED');
      expect(order.reason).toBe('payment');

      const payments = orderEvents(await readTopic(brokers, topics.payments.name), orderId);
      expect(payments.map((event) => event.type)).toEqual(['PaymentDeclined']);
      expect(payments[0]?.type === 'PaymentDeclined' && payments[0].data.reason).toBe(detail);

      const outcomes = orderEvents(await readTopic(brokers, topics.outcomes.name), orderId);
      expect(outcomes).toHaveLength(1);
      const [outcome] = outcomes;
      expect(outcome?.type).toBe('OrderCancelled');
      if (outcome?.type !== 'OrderCancelled') return;
      expect(outcome.data.reasons).toContain('payment');
      expect(outcome.data.details.join(' ')).toContain(detail);

      // Compensation: the stock the inventory reserved for it is released, exactly once.
      const inventory = await waitFor(
        async () => {
          const events = orderEvents(await readTopic(brokers, topics.inventory.name), orderId);
          return events.some((event) => event.type === 'InventoryReleased') && events;
        },
        { what: `InventoryReleased for ${orderId}` },
      );
      expect(inventory.map((event) => event.type)).toEqual([
        'InventoryReserved',
        'InventoryReleased',
      ]);
      const released = inventory[1];
      expect(released?.type === 'InventoryReleased' && released.data.items).toEqual([
        { productId, quantity },
      ]);

      const stock = await waitFor(
        async () => {
          const row = (await getStock(url('inventory-service'))).get(productId);
          return row?.reserved === 0 && row;
        },
        { what: `${productId} to have nothing reserved` },
      );
      expect(stock).toEqual({
        productId,
        initial: initialStock(productId),
        available: initialStock(productId),
        reserved: 0,
        sold: 0,
      });
      await waitFor(
        async () => (await getProducts(gateway)).get(productId) === initialStock(productId),
        { what: `GET /products to show ${productId} back at its initial stock` },
      );
    },
  );

  it('follows the decline rules switched while everything runs (PUT /faults)', async () => {
    const { url, logs } = stack();
    const gateway = url('api-gateway');
    const setRules = async (rules: { paymentLimitCents: number; declinedCards: string[] }) => {
      const seen = logs('payment-service').length;
      await putFaults(gateway, rules);
      // Through Kafka (api-gateway.faults.v1): in force once payment-service says so.
      await waitFor(
        () =>
          logs('payment-service')
            .slice(seen)
            .some(
              (line) =>
                line.includes('payment rules') &&
                line.includes(`limitCents=${rules.paymentLimitCents}`) &&
                line.includes(`declinedCards=${rules.declinedCards.join(',')}`),
            ),
        { what: `payment-service to apply ${JSON.stringify(rules)}` },
      );
    };
    const decline = async (body: OrderRequest) => {
      const { orderId } = await placeOrder(gateway, body);
      const order = await waitForOrderStatus(gateway, orderId, 'CANCELLED');
      expect(order.reason).toBe('payment');
      const [payment] = orderEvents(
        await readTopic(stack().brokers, topics.payments.name),
        orderId,
      );
      return payment?.type === 'PaymentDeclined' ? payment.data.reason : payment?.type;
    };
    const mouse = (quantity: number) => orderBody([{ productId: 'sku-mouse', quantity }]);

    // A limit of 50.00: two mice (59.98) are over it, one (29.99) is not.
    await setRules({ paymentLimitCents: 5_000, declinedCards: [cards.declined] });
    expect(await decline(mouse(2))).toBe('limit_exceeded');
    const one = await placeOrder(gateway, mouse(1));
    await waitForOrderStatus(gateway, one.orderId, 'COMPLETED');

    // The good test card declined too.
    await setRules({ paymentLimitCents: 500_000, declinedCards: [cards.declined, cards.ok] });
    expect(await decline(mouse(1))).toBe('card_declined');

    // Back to the documented rules: the good card pays again.
    await setRules({ paymentLimitCents: 500_000, declinedCards: [cards.declined] });
    const again = await placeOrder(gateway, mouse(1));
    await waitForOrderStatus(gateway, again.orderId, 'COMPLETED');
  });
});
