// Acceptance 7: invalid JSON and schema-invalid events written to orders.v1, payments.v1 and
// inventory.v1 each land in orders.dlq.v1 with the reason and the raw bytes, and every service
// keeps processing good events.
import { randomUUID } from 'node:crypto';
import { createEvent, Headers, topics } from '@kafkadog/contracts';
import { createProducer, silentLogger } from '@kafkadog/kafka';
import { describe, expect, it } from 'vitest';
import { emailLines, orderBody, placeOrder, waitForOrderStatus } from '../support/orders.js';
import { SERVICE_NAMES } from '../../scripts/lib/stack.js';
import { useStack } from '../support/system.js';
import { eventsOf, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const stack = useStack({ env: { ANALYTICS_EMIT_INTERVAL_MS: '500' } });

function schemaInvalid(topic: string, orderId: string): Buffer {
  const bad = {
    [topics.orders.name]: createEvent(
      'OrderPlaced',
      { customerEmail: 'not-an-email', items: [], total: -1, cardNumber: 'x' },
      { orderId },
    ),
    [topics.payments.name]: createEvent(
      'PaymentAuthorized',
      { paymentId: 'nope', amount: 'lots' } as never,
      { orderId },
    ),
    [topics.inventory.name]: createEvent('InventoryReserved', { items: [] }, { orderId }),
  }[topic];
  return Buffer.from(JSON.stringify(bad));
}

/** The groups that must reject what they cannot read on each topic (DESIGN.md's flows). */
const readers: Record<string, string[]> = {
  [topics.orders.name]: ['payment-service', 'inventory-service'],
  [topics.payments.name]: ['order-saga'],
  [topics.inventory.name]: ['order-saga'],
};

describe('poison messages', () => {
  it('are dead-lettered with their bytes and reason, and good events still flow', async () => {
    const { url, brokers, logs, isRunning } = stack();
    const producer = createProducer({ brokers, clientId: 'poison-test', logger: silentLogger });
    const poison: {
      topic: string;
      partition: number;
      offset: string;
      value: Buffer;
      reason: string;
    }[] = [];
    try {
      for (const topic of Object.keys(readers)) {
        for (const [value, reason] of [
          [Buffer.from('{"type":"OrderPlaced", this is not JSON'), 'invalid_json'],
          [schemaInvalid(topic, randomUUID()), 'invalid_schema'],
        ] as const) {
          const position = await producer.sendRaw({ topic, key: randomUUID(), value });
          poison.push({ ...position, value, reason });
        }
      }
    } finally {
      await producer.close();
    }

    const dlq = await waitFor(
      async () => {
        const records = await readTopic(brokers, topics.dlq.name);
        const of = (p: (typeof poison)[number]) =>
          records.filter(
            (r) =>
              r.headers[Headers.originalTopic] === p.topic &&
              r.headers[Headers.originalPartition] === String(p.partition) &&
              r.headers[Headers.originalOffset] === p.offset,
          );
        const complete = poison.every((p) => {
          const groups = new Set(of(p).map((r) => r.headers[Headers.dlqGroup]));
          return (readers[p.topic] ?? []).every((group) => groups.has(group));
        });
        return complete && poison.map((p) => ({ poison: p, letters: of(p) }));
      },
      {
        what: 'a dead letter of each poison record from each group that reads its topic',
        intervalMs: 250,
      },
    );
    for (const { poison: p, letters } of dlq) {
      for (const letter of letters) {
        expect(letter.value?.equals(p.value), `raw bytes of ${p.topic}@${p.offset}`).toBe(true);
        expect(letter.headers[Headers.dlqReason]).toBe(p.reason);
        expect(letter.headers[Headers.dlqError]?.length).toBeGreaterThan(0);
      }
    }

    // Every service is still up and the flow still works end to end.
    for (const name of SERVICE_NAMES) expect(isRunning(name), name).toBe(true);
    const gateway = url('api-gateway');
    const { orderId } = await placeOrder(
      gateway,
      orderBody([{ productId: 'sku-monitor', quantity: 1 }]),
    );
    await waitForOrderStatus(gateway, orderId, 'COMPLETED');
    await waitFor(() => emailLines(logs('notification-service'), orderId).length === 1, {
      what: `the email for ${orderId}`,
    });
    await waitFor(
      async () =>
        eventsOf(await readTopic(brokers, topics.snapshots.name), 'TopProductsUpdated').some((e) =>
          e.data.byQuantity.some((r) => r.productId === 'sku-monitor' && r.quantity === 1),
        ),
      { what: 'analytics to count the good order', intervalMs: 250 },
    );
    const cancelled = await placeOrder(gateway, orderBody([{ productId: 'sku-gpu', quantity: 9 }]));
    await waitForOrderStatus(gateway, cancelled.orderId, 'CANCELLED');
  });
});
