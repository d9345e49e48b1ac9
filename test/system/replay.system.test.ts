// Acceptance 5: every consumer group of 100 finished orders is reset to earliest. Afterwards the
// stock is the same, each order still has one outcome and one email, nothing new is published,
// and the duplicates-suppressed counters equal the replayed events.
import { topics, type TopicSpec } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { waitForQuiet, withAdmin } from '../support/groups.js';
import { counter, fetchMetrics } from '../support/metrics.js';
import {
  cards,
  emailLines,
  getProducts,
  getStock,
  orderBody,
  placeOrders,
  type OrderRequest,
} from '../support/orders.js';
import { SERVICE_NAMES, type ServiceName } from '../../scripts/lib/stack.js';
import { useStack } from '../support/system.js';
import { countByOrder, readState, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const ORDERS = 100;
const stack = useStack();

/** The services that keep `{ state, applied }` per order, with the topic that holds it. */
const stateTopics: Partial<Record<ServiceName, TopicSpec>> = {
  'payment-service': topics.paymentState,
  'inventory-service': topics.inventoryState,
  'order-saga': topics.sagaState,
  'notification-service': topics.notificationState,
};

function bodies(): OrderRequest[] {
  const everyday = ['sku-keyboard', 'sku-mouse', 'sku-usb-hub', 'sku-webcam'];
  return Array.from({ length: ORDERS }, (_, i) => {
    if (i % 25 === 0) return orderBody([{ productId: 'sku-gpu', quantity: 4 }]); // rejected, voided
    if (i % 10 === 9) {
      return orderBody([{ productId: 'sku-mouse', quantity: 1 }], { cardNumber: cards.declined });
    }
    return orderBody(
      [{ productId: everyday[i % everyday.length] ?? 'sku-mouse', quantity: 1 + (i % 2) }],
      {
        customerEmail: `customer${i}@example.com`,
      },
    );
  });
}

const flowTopics = [topics.orders, topics.payments, topics.inventory, topics.outcomes].map(
  (t) => t.name,
);

describe('a replay of every consumer group from the beginning', () => {
  it('changes nothing and is visibly suppressed', async () => {
    const { url, brokers, logs } = stack();
    const gateway = url('api-gateway');
    const ids = await placeOrders(gateway, bodies(), 20);

    await waitFor(
      async () => countByOrder(await readTopic(brokers, topics.outcomes.name)).size === ORDERS,
      { what: `${ORDERS} outcomes`, timeoutMs: 60_000, intervalMs: 300 },
    );
    await waitFor(
      () => ids.every((id) => emailLines(logs('notification-service'), id).length > 0),
      {
        what: 'an email for every order',
      },
    );
    await waitForQuiet(brokers);

    const stockBefore = await getStock(url('inventory-service'));
    const productsBefore = await getProducts(gateway);
    const endsBefore = await logEnds(brokers, flowTopics);

    // Stop every service, then move every group back to the start of each topic it consumed.
    for (const name of SERVICE_NAMES) await stack().stopService(name);
    const replayed = new Map<string, { topic: string; records: number }[]>();
    await withAdmin(brokers, async (admin) => {
      const groups = await admin.listGroups();
      expect(groups.map((g) => g.id)).toEqual(
        expect.arrayContaining([
          'payment-service',
          'inventory-service',
          'order-saga',
          'notification-service',
        ]),
      );
      for (const { id } of groups) {
        const committed = (await admin.groupOffsets(id)).filter((row) => row.committed !== null);
        const consumed = [...new Set(committed.map((row) => row.topic))];
        if (consumed.length === 0) continue;
        const earliest = await admin.resetGroupOffsets(id, consumed, 'earliest');
        replayed.set(
          id,
          consumed.map((topic) => ({
            topic,
            records: committed
              .filter((row) => row.topic === topic)
              .reduce((sum, row) => {
                const start = earliest.find(
                  (e) => e.topic === topic && e.partition === row.partition,
                );
                return sum + Number(row.committed) - Number(start?.offset ?? 0);
              }, 0),
          })),
        );
      }
    });
    for (const name of [
      'payment-service',
      'inventory-service',
      'order-saga',
      'notification-service',
    ]) {
      expect(replayed.get(name)?.reduce((sum, t) => sum + t.records, 0)).toBeGreaterThanOrEqual(
        ORDERS,
      );
    }

    // What each group will see again and had applied before: the expected duplicates.
    const expected = new Map<ServiceName, number>();
    for (const [service, stateTopic] of Object.entries(stateTopics) as [ServiceName, TopicSpec][]) {
      const state = await readState<{ applied: string[] }>(brokers, stateTopic.name);
      const applied = new Set([...state.values()].flatMap((order) => order.applied));
      let count = 0;
      for (const { topic } of replayed.get(service) ?? []) {
        for (const record of await readTopic(brokers, topic)) {
          if (record.event && applied.has(record.event.id)) count++;
        }
      }
      expect(count, `${service} applied events to replay`).toBeGreaterThanOrEqual(ORDERS);
      expected.set(service, count);
    }

    for (const name of SERVICE_NAMES) await stack().start(name);
    await waitForQuiet(brokers, { timeoutMs: 120_000 });

    for (const [service, count] of expected) {
      const metrics = await fetchMetrics(url(service));
      expect(
        counter(metrics, 'kafkadog_duplicates_suppressed_total', { group: service }),
        service,
      ).toBe(count);
    }
    // Nothing was published again: the flow topics end where they ended.
    expect(await logEnds(brokers, flowTopics)).toEqual(endsBefore);
    const outcomes = countByOrder(await readTopic(brokers, topics.outcomes.name));
    expect(ids.filter((id) => outcomes.get(id) !== 1)).toEqual([]);
    expect(ids.filter((id) => emailLines(logs('notification-service'), id).length !== 1)).toEqual(
      [],
    );
    expect(await getStock(url('inventory-service'))).toEqual(stockBefore);
    expect(await getProducts(gateway)).toEqual(productsBefore);
  });
});

async function logEnds(
  brokers: string[],
  names: readonly string[],
): Promise<Record<string, string>> {
  // A group that never committed: groupOffsets then lists just the partitions' log ends.
  const rows = await withAdmin(brokers, (admin) => admin.groupOffsets('test.log-ends', names));
  return Object.fromEntries(rows.map((row) => [`${row.topic}[${row.partition}]`, row.logEnd]));
}
