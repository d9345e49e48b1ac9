// Two instances of every service behind one gateway. The groups share the partitions, the
// single-active services (inventory, analytics) stand by; then one instance each of the saga,
// payment and inventory (the active one) is killed under load and not restarted. Every order
// still gets exactly one outcome and one email, and the stock is conserved.
import { catalog, topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { withAdmin, waitForQuiet } from '../support/groups.js';
import {
  expectOneOutcomeEach,
  expectStockConserved,
  outcomesByOrder,
} from '../support/invariants.js';
import {
  activeInventory,
  cards,
  emailLines,
  orderBody,
  placeOrders,
  type OrderRequest,
} from '../support/orders.js';
import type { ProcessName } from '../../scripts/lib/stack.js';
import { useStack } from '../support/system.js';
import { readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const ORDERS = 400;
const KILL_AFTER = 150;
const stack = useStack({
  instances: {
    'order-saga': 2,
    'payment-service': 2,
    'inventory-service': 2,
    'notification-service': 2,
    'analytics-service': 2,
  },
});

function bodies(): OrderRequest[] {
  return Array.from({ length: ORDERS }, (_, i) => {
    const product = catalog[i % catalog.length] ?? catalog[0];
    return orderBody([{ productId: product?.id ?? 'sku-mouse', quantity: 1 + (i % 2) }], {
      customerEmail: `scale${i}@example.com`,
      ...(i % 25 === 3 ? { cardNumber: cards.declined } : {}),
    });
  });
}

/** How many members of the group hold partitions. */
async function membersOf(brokers: string[], group: string): Promise<number> {
  const { members } = await withAdmin(brokers, (admin) => admin.describeGroup(group));
  return members.filter((member) => member.assignments.some((a) => a.partitions.length > 0)).length;
}

describe('two instances of every service', () => {
  it('share the work, and lose one of each under load without losing an order', async () => {
    const { url, brokers, kill, logs } = stack();
    // Groups of per-order services: both instances hold partitions.
    for (const group of ['order-saga', 'payment-service', 'notification-service']) {
      await waitFor(async () => (await membersOf(brokers, group)) === 2, {
        what: `both ${group} instances to hold partitions`,
      });
    }
    const inventory = await activeInventory(url);
    const victims: ProcessName[] = ['order-saga', 'payment-service', inventory.active];

    let killing: Promise<unknown> | undefined;
    const ids = await placeOrders(url('api-gateway'), bodies(), 50, (placed) => {
      if (placed === KILL_AFTER) killing = Promise.all(victims.map((name) => kill(name)));
    });
    await killing;

    // The survivors take over the dead members' partitions (after their sessions expire) and
    // the inventory standby takes the lease.
    await waitFor(
      async () => {
        const byOrder = outcomesByOrder(await readTopic(brokers, topics.outcomes.name));
        return ids.every((id) => byOrder.has(id));
      },
      { what: `an outcome for each of the ${ORDERS} orders`, timeoutMs: 180_000, intervalMs: 1000 },
    );
    await waitForQuiet(brokers, { timeoutMs: 120_000 });

    await expectOneOutcomeEach(brokers, ids);
    await expectStockConserved(brokers, url(inventory.standby), url('api-gateway'));

    // One email per order, whichever notification instance sent it; both sent some.
    const notifications: ProcessName[] = ['notification-service', 'notification-service#2'];
    const lines = notifications.map((name) => logs(name));
    const missing = ids.filter(
      (id) => lines.reduce((sum, instance) => sum + emailLines(instance, id).length, 0) !== 1,
    );
    expect(missing).toEqual([]);
    for (const instance of lines) {
      expect(instance.some((line) => line.includes('email sent'))).toBe(true);
    }
  }, 360_000);
});
