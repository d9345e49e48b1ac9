// Acceptance 4: inventory fails every time (rate 1.0). The event goes through orders.retry.v1
// with real, growing delays, reaches the DLQ after the maximum attempts, the saga cancels the
// order on its timeout, GET /metrics/dlq counts the dead letter, and a redrive with rate 0 has
// the documented behaviour: the order was cancelled meanwhile, so inventory reserves nothing
// for it (its decider records the cancellation and ignores a later OrderPlaced), the order
// stays CANCELLED with its one outcome, and no stock moves.
import { Headers, topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  getJson,
  getStock,
  initialStock,
  orderBody,
  placeOrder,
  putFaults,
  waitForOrderStatus,
} from '../support/orders.js';
import { useStack } from '../support/system.js';
import { orderEvents, readState, readTopic, type TopicRecord } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const BASE_MS = 300;
const FACTOR = 2;
const MAX_ATTEMPTS = 4; // handler calls, the first included: 3 retries, then the DLQ
const TIMEOUT_MS = 8_000;

const stack = useStack({
  env: {
    INVENTORY_FAILURE_RATE: '1',
    INVENTORY_RETRY_BASE_MS: String(BASE_MS),
    INVENTORY_RETRY_FACTOR: String(FACTOR),
    INVENTORY_RETRY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    SAGA_TIMEOUT_MS: String(TIMEOUT_MS),
  },
});

interface DlqStats {
  total: number;
  byReason: Record<string, number>;
  bySourceTopic: Record<string, number>;
  byGroup: Record<string, number>;
  redriven: number;
}
interface DeadLetter {
  offset: number;
  key: string | null;
  reason: string;
  group: string | null;
  sourceTopic: string | null;
  retries: number | null;
  redriven: boolean;
}

const header = (record: TopicRecord, name: string) => Number(record.headers[name]);

describe('inventory that always fails', () => {
  it('retries with backoff, dead-letters, times out, and a redrive reserves nothing', async () => {
    const { url, brokers } = stack();
    const gateway = url('api-gateway');
    const productId = 'sku-headphones';
    const { orderId } = await placeOrder(gateway, orderBody([{ productId, quantity: 1 }]));

    // 1. Retries: attempt n fails → retry n is written, due base × factor^(n-1) later.
    const dlqRecords = await waitFor(
      async () => {
        const records = (await readTopic(brokers, topics.dlq.name)).filter(
          (r) => r.key === orderId,
        );
        return records.length > 0 && records;
      },
      { what: `the dead letter of ${orderId}`, timeoutMs: 20_000, intervalMs: 200 },
    );
    const retries = (await readTopic(brokers, topics.retry.name))
      .filter((r) => r.key === orderId && r.headers[Headers.retryGroup] === 'inventory-service')
      .sort((a, b) => header(a, Headers.retryAttempt) - header(b, Headers.retryAttempt));
    expect(retries.map((r) => header(r, Headers.retryAttempt))).toEqual([1, 2, 3]);
    for (const retry of retries) {
      expect(retry.headers[Headers.originalTopic]).toBe(topics.orders.name);
      expect(retry.event?.type).toBe('OrderPlaced');
    }

    // 2. The DLQ, after the last attempt, with the reason and the group that gave up.
    expect(dlqRecords).toHaveLength(1);
    const [dead] = dlqRecords as [TopicRecord];
    expect(dead.headers[Headers.dlqReason]).toBe('retries_exhausted');
    expect(dead.headers[Headers.dlqGroup]).toBe('inventory-service');
    expect(dead.event?.type).toBe('OrderPlaced');

    // The measured gaps: attempt n+1 ran no earlier than retry n was due, and the gap between
    // the attempts (each stamped by the record its failure wrote) is at least the backoff.
    const attempts = [...retries, dead];
    const gaps: number[] = [];
    for (let n = 1; n < attempts.length; n++) {
      const failed = attempts[n - 1] as TopicRecord;
      const next = attempts[n] as TopicRecord;
      const backoff = BASE_MS * FACTOR ** (n - 1);
      const due = header(failed, Headers.retryNotBefore);
      expect(due - failed.timestamp).toBeGreaterThanOrEqual(backoff);
      expect(due - failed.timestamp).toBeLessThanOrEqual(backoff * 1.2 + 1); // jitter ≤ 20 %
      expect(next.timestamp).toBeGreaterThanOrEqual(due);
      gaps.push(next.timestamp - failed.timestamp);
      expect(next.timestamp - failed.timestamp).toBeGreaterThanOrEqual(backoff);
    }
    console.log(
      `[flaky] gaps between attempts: ${gaps.join(', ')} ms (backoff ${BASE_MS} × ${FACTOR}^n)`,
    );

    // 3. The saga gives up on the missing reply after its timeout, and the payment is voided.
    const order = await waitForOrderStatus(gateway, orderId, 'CANCELLED', {
      timeoutMs: TIMEOUT_MS + 15_000,
    });
    expect(order.reason).toBe('timeout');
    const outcomes = orderEvents(await readTopic(brokers, topics.outcomes.name), orderId);
    expect(outcomes.map((e) => e.type)).toEqual(['OrderCancelled']);
    const placed = orderEvents(
      await readTopic(brokers, topics.orders.name),
      orderId,
      'OrderPlaced',
    )[0];
    if (!placed || outcomes[0]?.type !== 'OrderCancelled') throw new Error('events missing');
    expect(outcomes[0].data.reasons).toEqual(['timeout']);
    expect(
      Date.parse(outcomes[0].occurredAt) - Date.parse(placed.occurredAt),
    ).toBeGreaterThanOrEqual(TIMEOUT_MS);
    await waitFor(
      async () =>
        orderEvents(await readTopic(brokers, topics.payments.name), orderId, 'PaymentVoided')
          .length === 1,
      { what: `PaymentVoided for ${orderId}` },
    );

    // 4. GET /metrics/dlq counts it (a fresh broker: it is the only dead letter).
    const stats = await waitFor(
      async () => {
        const s = await getJson<DlqStats>(`${gateway}/metrics/dlq`);
        return s.total === 1 && s;
      },
      { what: 'GET /metrics/dlq to count the dead letter' },
    );
    expect(stats).toMatchObject({
      total: 1,
      byReason: { retries_exhausted: 1 },
      bySourceTopic: { [topics.orders.name]: 1 },
      byGroup: { 'inventory-service': 1 },
      redriven: 0,
    });

    // 5. Rate 0, proven in effect by an order that now completes.
    await putFaults(gateway, { inventoryFailureRate: 0 });
    const probe = await placeOrder(gateway, orderBody([{ productId: 'sku-usb-hub', quantity: 1 }]));
    await waitForOrderStatus(gateway, probe.orderId, 'COMPLETED', { timeoutMs: 30_000 });

    // 6. The redrive: back to orders.retry.v1 for inventory-service only.
    const letters = await getJson<{ entries: DeadLetter[] }>(`${gateway}/dlq`);
    const letter = letters.entries.find((entry) => entry.key === orderId);
    expect(letter).toMatchObject({
      offset: Number(dead.offset),
      reason: 'retries_exhausted',
      group: 'inventory-service',
      sourceTopic: topics.orders.name,
      retries: MAX_ATTEMPTS - 1,
      redriven: false,
    });
    const response = await fetch(`${gateway}/dlq/${dead.offset}/redrive`, { method: 'POST' });
    expect(response.status).toBe(202);

    // Inventory handles the redriven OrderPlaced (its state records the event as applied)...
    await waitFor(
      async () => {
        const state = await readState<{ applied: string[] }>(brokers, topics.inventoryState.name);
        return state.get(orderId)?.applied.includes(placed.id);
      },
      { what: 'inventory-service to apply the redriven OrderPlaced', intervalMs: 200 },
    );
    // ...and, the order being cancelled, reserves nothing: no reply, no stock held, one outcome.
    expect(orderEvents(await readTopic(brokers, topics.inventory.name), orderId)).toEqual([]);
    expect((await getStock(url('inventory-service'))).get(productId)).toEqual({
      productId,
      initial: initialStock(productId),
      available: initialStock(productId),
      reserved: 0,
      sold: 0,
    });
    expect(orderEvents(await readTopic(brokers, topics.outcomes.name), orderId)).toHaveLength(1);
    expect((await waitForOrderStatus(gateway, orderId, 'CANCELLED')).reason).toBe('timeout');
    await waitFor(async () => (await getJson<DlqStats>(`${gateway}/metrics/dlq`)).redriven === 1, {
      what: 'GET /metrics/dlq to count the redrive',
    });
    // Not dead-lettered again: the redrive succeeded.
    expect(
      (await readTopic(brokers, topics.dlq.name)).filter((r) => r.key === orderId),
    ).toHaveLength(1);
  });
});
