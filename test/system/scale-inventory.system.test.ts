// Several instances of inventory-service share one global stock: one decides at a time (it holds
// the lease), the other stands by, and takes over when the active one is killed. No oversell.
import { describe, expect, it } from 'vitest';
import {
  activeInventory,
  getProducts,
  getStock,
  initialStock,
  orderBody,
  placeOrders,
  waitForEnded,
  type OrderView,
} from '../support/orders.js';
import { useStack } from '../support/system.js';
import { waitFor } from '../../scripts/lib/wait.js';

// Failover waits for the killed instance's session to expire (10 s): the saga must wait longer.
const stack = useStack({
  instances: { 'inventory-service': 2 },
  env: { SAGA_TIMEOUT_MS: '60000' },
});

function count(orders: readonly OrderView[], status: string, reason?: string): number {
  return orders.filter(
    (order) => order.status === status && (reason === undefined || order.reason === reason),
  ).length;
}

describe('two instances of inventory-service', () => {
  it('decide one at a time, never oversell, and fail over when the active one is killed', async () => {
    const { url, kill, logs } = stack();
    const gateway = url('api-gateway');
    const gpus = initialStock('sku-gpu'); // 3
    const { active, standby } = await activeInventory(url);

    // More single-GPU orders than GPUs, all at once: they spread over the three partitions of
    // orders.v1. Two instances deciding each against its own view would sell more than 3.
    const gpuOrders = 12;
    const first = await waitForEnded(
      gateway,
      await placeOrders(
        gateway,
        Array.from({ length: gpuOrders }, () => orderBody([{ productId: 'sku-gpu', quantity: 1 }])),
        gpuOrders,
      ),
    );
    expect(count(first, 'COMPLETED')).toBe(gpus);
    expect(count(first, 'CANCELLED', 'inventory')).toBe(gpuOrders - gpus);
    // Sold once the saga's OrderCompleted reached inventory.
    await waitFor(async () => (await getStock(url(active))).get('sku-gpu')?.sold === gpus, {
      what: `${gpus} GPUs sold`,
    });
    expect((await getStock(url(active))).get('sku-gpu')).toMatchObject({
      available: 0,
      reserved: 0,
      sold: gpus,
    });
    // The standby decided nothing: it never took the lease.
    expect(
      logs(standby).some((line) =>
        line.includes('active: this instance runs inventory processing'),
      ),
    ).toBe(false);

    // A crash of the active instance: the standby takes over (after the dead one's session
    // expires) and goes on from the same stock.
    await kill(active);
    const keyboards = 4;
    const second = await waitForEnded(
      gateway,
      await placeOrders(gateway, [
        ...Array.from({ length: keyboards }, () =>
          orderBody([{ productId: 'sku-keyboard', quantity: 1 }]),
        ),
        orderBody([{ productId: 'sku-gpu', quantity: 1 }]),
      ]),
    );
    expect(second.slice(0, keyboards).map((order) => order.status)).toEqual(
      Array.from({ length: keyboards }, () => 'COMPLETED'),
    );
    expect(second[keyboards]).toMatchObject({ status: 'CANCELLED', reason: 'inventory' });
    expect(
      logs(standby).some((line) =>
        line.includes('active: this instance runs inventory processing'),
      ),
    ).toBe(true);

    const stock = await waitFor(
      async () => {
        const rows = await getStock(url(standby));
        return rows.get('sku-keyboard')?.sold === keyboards && rows;
      },
      { what: `${keyboards} keyboards sold` },
    );
    expect(stock.get('sku-gpu')).toMatchObject({ available: 0, reserved: 0, sold: gpus });
    expect(stock.get('sku-keyboard')).toMatchObject({
      available: initialStock('sku-keyboard') - keyboards,
      reserved: 0,
      sold: keyboards,
    });
    for (const row of stock.values()) {
      expect(row.available + row.reserved + row.sold).toBe(row.initial);
    }
    await waitFor(async () => (await getProducts(gateway)).get('sku-gpu') === 0, {
      what: 'the gateway to show no GPU left',
    });
  });
});
