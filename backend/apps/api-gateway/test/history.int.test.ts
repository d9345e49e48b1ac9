import { causedBy, createEvent, topics, type EventOf } from '@kafkadog/contracts';
import { createProducer, silentLogger } from '@kafkadog/kafka';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBrokers } from '../../../../test/support/kafka.js';
import {
  buildGateway,
  call,
  endOffsets,
  ensureTopics,
  startGateway,
  type GatewayProcess,
} from './gateway.js';

// Other test files place orders on the same broker meanwhile: the gateway keeps half the newer
// batch (50 per partition, where the batch puts about 100), so that the window starts inside the
// newer batch and its newest ten stay among the orders kept even with others' orders after them.
const KEPT = 150;
const OLD = 600;
const NEW = 300;

function placed(): EventOf<'OrderPlaced'> {
  const orderId = randomUUID();
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-mouse', quantity: 1, unitPrice: 2999 }],
      total: 2999,
      cardNumber: '4242424242424242',
    },
    { orderId },
  );
}

function completed(order: EventOf<'OrderPlaced'>): EventOf<'OrderCompleted'> {
  const { customerEmail, items, total } = order.data;
  return causedBy(order, 'OrderCompleted', { customerEmail, items, total });
}

async function recordsIn(brokers: string[], names: readonly string[]): Promise<bigint> {
  let total = 0n;
  for (const name of names) for (const end of await endOffsets(brokers, name)) total += end;
  return total;
}

describe('api-gateway start after a long history (real broker)', () => {
  const brokers = testBrokers();
  const producer = createProducer({ brokers, clientId: 'test-history', logger: silentLogger });
  const orders: EventOf<'OrderPlaced'>[] = [];
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    await Promise.all([buildGateway(), ensureTopics(brokers)]);
    // Each order placed, then completed: the order topics hold two records per order. The newer
    // ones come after a pause longer than the margin the gateway allows for clocks (5 s), so that
    // the older ones are clearly before the window.
    const write = async (count: number) => {
      const batch = Array.from({ length: count }, placed);
      await Promise.all(batch.map((order) => producer.publish(order)));
      await Promise.all(batch.map((order) => producer.publish(completed(order))));
      orders.push(...batch);
    };
    await write(OLD);
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    await write(NEW);
  });

  afterAll(async () => {
    await gateway?.stop('SIGTERM');
    await producer.close();
  });

  it('reads the order topics only from its oldest kept order on, and still folds their replies', async () => {
    const orderTopics = [topics.orders, topics.outcomes].map((topic) => topic.name);
    const inTopics = await recordsIn(brokers, orderTopics);
    expect(inTopics).toBeGreaterThanOrEqual(BigInt(2 * (OLD + NEW)));

    gateway = await startGateway(brokers, {
      GATEWAY_MAX_ORDERS: String(KEPT),
      GATEWAY_MAX_IDEMPOTENCY_KEYS: String(KEPT),
    });
    const rebuilt = await waitForLine(gateway, /views rebuilt from Kafka.*records=(\d+).*$/m);
    // Read: the newer orders and their outcomes (the newest KEPT with what came in the same
    // seconds, and what other tests write meanwhile), not the whole history of the topics.
    expect(rebuilt[0]).toContain(`${topics.orders.name}=since`);
    expect(BigInt(rebuilt[1]!)).toBeLessThan(inTopics / 2n);

    // The newer orders are there, with their outcome read from orders.outcome.v1. (Orders other
    // test files place meanwhile are newer still and take some of the places kept.)
    let served = 0;
    for (const order of orders.slice(-50)) {
      const view = await call<{ status: string }>(`${gateway.url}/orders/${order.orderId}`);
      if (view.status === 404) continue;
      expect(view.status).toBe(200);
      expect(view.body.status).toBe('COMPLETED');
      served++;
    }
    expect(served).toBeGreaterThanOrEqual(10);
    // The oldest are outside what the gateway keeps.
    const oldest = await call(`${gateway.url}/orders/${orders[0]!.orderId}`);
    expect(oldest.status).toBe(404);
  });
});

async function waitForLine(gateway: GatewayProcess, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = pattern.exec(gateway.output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no line ${pattern} in:\n${gateway.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
