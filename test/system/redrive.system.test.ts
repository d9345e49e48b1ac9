// What the README documents for a dead letter redriven before the saga's timeout: once the fault
// is gone, the redriven OrderPlaced is reserved and the order completes, with one outcome. (The
// redrive after the timeout, which reserves nothing, is in flaky-inventory.system.test.ts.)
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  getStock,
  initialStock,
  orderBody,
  placeOrder,
  putFaults,
  waitForOrderStatus,
} from '../support/orders.js';
import { useStack } from '../support/system.js';
import { orderEvents, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

// Dead-lettered within about a second; the saga waits far longer than the test needs.
const stack = useStack({
  env: {
    INVENTORY_FAILURE_RATE: '1',
    INVENTORY_RETRY_BASE_MS: '200',
    INVENTORY_RETRY_FACTOR: '2',
    INVENTORY_RETRY_MAX_ATTEMPTS: '3',
    SAGA_TIMEOUT_MS: '120000',
  },
});

describe('a dead letter redriven before the saga gives up', () => {
  it('completes its order once the fault is gone', async () => {
    const { url, brokers } = stack();
    const gateway = url('api-gateway');
    const productId = 'sku-webcam';
    const { orderId } = await placeOrder(gateway, orderBody([{ productId, quantity: 2 }]));

    const dead = await waitFor(
      async () => (await readTopic(brokers, topics.dlq.name)).find((r) => r.key === orderId),
      { what: `the dead letter of ${orderId}`, intervalMs: 200 },
    );
    // Still waiting for inventory's reply: no outcome yet, nothing reserved.
    expect((await waitForOrderStatus(gateway, orderId, 'PENDING')).status).toBe('PENDING');
    expect(orderEvents(await readTopic(brokers, topics.inventory.name), orderId)).toEqual([]);

    // The fault repaired, proven in effect by an order that completes.
    await putFaults(gateway, { inventoryFailureRate: 0 });
    const probe = await placeOrder(gateway, orderBody([{ productId: 'sku-mouse', quantity: 1 }]));
    await waitForOrderStatus(gateway, probe.orderId, 'COMPLETED');

    const response = await fetch(`${gateway}/dlq/${dead.offset}/redrive`, { method: 'POST' });
    expect(response.status).toBe(202);

    const order = await waitForOrderStatus(gateway, orderId, 'COMPLETED');
    expect(order.timeline.map((entry) => entry.type)).toEqual(
      expect.arrayContaining([
        'OrderPlaced',
        'PaymentAuthorized',
        'InventoryReserved',
        'OrderCompleted',
      ]),
    );
    expect(orderEvents(await readTopic(brokers, topics.outcomes.name), orderId)).toHaveLength(1);
    expect(
      orderEvents(await readTopic(brokers, topics.inventory.name), orderId).map((e) => e.type),
    ).toEqual(['InventoryReserved']);
    await waitFor(
      async () => (await getStock(url('inventory-service'))).get(productId)?.sold === 2,
      { what: `2 × ${productId} sold` },
    );
    expect((await getStock(url('inventory-service'))).get(productId)).toMatchObject({
      available: initialStock(productId) - 2,
      reserved: 0,
      sold: 2,
    });
  });
});
