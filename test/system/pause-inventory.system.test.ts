// The active inventory-service freezes (SIGSTOP: a long GC pause, a suspended VM) for longer than
// its session. The standby takes over and decides the orders placed meanwhile. When the frozen
// one wakes up it must not decide anything from its stale view of the stock: no oversell.
// (Whether a woken instance gets to handle a record at all depends on timing; the fence that
// stops it is tested deterministically in libs/kafka, lease.int.test.ts and fence.int.test.ts.)
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { expectOneOutcomeEach, expectStockConserved } from '../support/invariants.js';
import {
  activeInventory,
  initialStock,
  orderBody,
  placeOrders,
  stockStatus,
  waitForEnded,
} from '../support/orders.js';
import { useStack } from '../support/system.js';
import { eventsOf, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

// Takeover waits for the frozen instance's session to expire (10 s): the saga must wait longer.
const stack = useStack({
  instances: { 'inventory-service': 2 },
  env: { SAGA_TIMEOUT_MS: '60000' },
});

const gpuOrder = () => orderBody([{ productId: 'sku-gpu', quantity: 1 }]);

describe('the active inventory-service frozen past its session', () => {
  it('is replaced by the standby, and decides nothing from its stale stock when it wakes', async () => {
    const { url, brokers, logs, signal } = stack();
    const gateway = url('api-gateway');
    const gpus = initialStock('sku-gpu'); // 3
    const { active, standby } = await activeInventory(url);

    signal(active, 'SIGSTOP');
    let woken = false;
    try {
      // Placed while it is frozen: its fetch may already hold them when it wakes.
      const during = await placeOrders(gateway, Array.from({ length: 8 }, gpuOrder), 8);
      const decided = await waitForEnded(gateway, during);
      expect(decided.filter((order) => order.status === 'COMPLETED')).toHaveLength(gpus);
      expect(
        logs(standby).some((line) =>
          line.includes('active: this instance runs inventory processing'),
        ),
      ).toBe(true);

      signal(active, 'SIGCONT');
      woken = true;
      // It learns it lost the lease, and stands by.
      await waitFor(async () => (await stockStatus(url(active))) === 503, {
        what: `${active} to stand by after waking`,
      });
      // Orders after the wake-up, one every 200 ms for 6 s, while the woken instance stops and
      // its consumers leave their groups: no GPU is left, whoever decides.
      const after: string[] = [];
      for (let i = 0; i < 30; i++) {
        after.push(...(await placeOrders(gateway, [gpuOrder()])));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const afterStatuses = (await waitForEnded(gateway, after)).map((order) => order.status);
      expect(afterStatuses.filter((status) => status !== 'CANCELLED')).toEqual([]);

      // On the topic: at most 3 orders ever got a GPU, and no order got two different answers.
      const decisions = eventsOf(await readTopic(brokers, topics.inventory.name)).filter(
        (event) => event.type === 'InventoryReserved' || event.type === 'InventoryRejected',
      );
      const answers = new Map<string, Set<string>>();
      for (const event of decisions) {
        answers.set(event.orderId!, (answers.get(event.orderId!) ?? new Set()).add(event.type));
      }
      expect([...answers].filter(([, types]) => types.size > 1)).toEqual([]);
      const reserved = [...answers].filter(([, types]) => types.has('InventoryReserved'));
      expect(reserved).toHaveLength(gpus);

      await expectOneOutcomeEach(brokers, [...during, ...after]);
      const stock = await expectStockConserved(brokers, url(standby), gateway);
      expect(stock.get('sku-gpu')).toMatchObject({ available: 0, reserved: 0, sold: gpus });

      // What is stored in Kafka agrees: the instance that woke takes over again after a clean
      // stop of the other, loads the stock from the topics, and finds the same.
      await stack().stopService(standby);
      await waitFor(async () => (await stockStatus(url(active))) === 200, {
        what: `${active} to take the lease back`,
        timeoutMs: 60_000,
      });
      const reloaded = await expectStockConserved(brokers, url(active), gateway);
      expect(reloaded.get('sku-gpu')).toMatchObject({ available: 0, reserved: 0, sold: gpus });
    } finally {
      if (!woken) signal(active, 'SIGCONT');
    }
  });
});
