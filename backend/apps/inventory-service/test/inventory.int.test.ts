import { randomUUID } from 'node:crypto';
import {
  catalog,
  createEvent,
  parseEvent,
  priceOrder,
  topics,
  type EventOf,
  type KafkadogEvent,
} from '@kafkadog/contracts';
import { counterValue, readToEnd, silentLogger, type ReadRecord } from '@kafkadog/kafka';
import { describe, expect, it } from 'vitest';
import {
  startInProcess,
  useOwnBroker,
  type InProcessService,
} from '../../../../test/support/in-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { inventoryConfig } from '../src/inventory/inventory.config.js';
import { InventoryService } from '../src/inventory/inventory.service.js';

/**
 * inventory-service's Kafka wiring against a real broker. The broker is this file's own (the
 * registry's fixed topic names, created by startStack): the stock is global, so exact numbers
 * can only be asserted where no other test places orders, and a failure rate set through
 * FaultsConfigured would reach every inventory-service on the broker. The service runs in this
 * process, built by hand as Nest would (its HTTP controller only serves `stock()`).
 */

const own = useOwnBroker('inventory-test');

function startInventory(
  env: Record<string, string> = {},
): Promise<InProcessService<InventoryService>> {
  return startInProcess('inventory-service', own.brokers, (clients, health) => {
    return new InventoryService(clients, health, inventoryConfig(env));
  });
}

function orderPlaced(items: [productId: string, quantity: number][]) {
  const priced = priceOrder(items.map(([productId, quantity]) => ({ productId, quantity })));
  if (!priced.ok) throw new Error('unknown product');
  const data = {
    customerEmail: 'ada@example.com',
    items: priced.lines,
    total: priced.total,
    cardNumber: '4242424242424242',
  };
  return createEvent('OrderPlaced', data, { orderId: randomUUID() });
}

function cancelled(order: EventOf<'OrderPlaced'>) {
  const data = { customerEmail: 'ada@example.com', reasons: ['payment' as const], details: [] };
  return createEvent('OrderCancelled', data, { orderId: order.orderId! });
}

function completed(order: EventOf<'OrderPlaced'>) {
  const { customerEmail, items, total } = order.data;
  return createEvent(
    'OrderCompleted',
    { customerEmail, items, total },
    { orderId: order.orderId! },
  );
}

async function records(topic: string): Promise<ReadRecord[]> {
  const all: ReadRecord[] = [];
  await readToEnd({
    brokers: own.brokers,
    topics: [topic],
    logger: silentLogger,
    onRecord: (r) => void all.push(r),
  });
  return all;
}

async function eventsOf(topic: string, orderId: string): Promise<KafkadogEvent[]> {
  return (await records(topic)).flatMap((record) => {
    const parsed = parseEvent(record.value);
    return parsed.ok && parsed.event.orderId === orderId ? [parsed.event] : [];
  });
}

function repliesOf(orderId: string, count: number): Promise<KafkadogEvent[]> {
  return waitFor(
    async () => {
      const events = await eventsOf(topics.inventory.name, orderId);
      return events.length >= count && events;
    },
    { what: `${count} inventory.v1 event(s) for ${orderId}` },
  );
}

const row = (running: InProcessService<InventoryService>, productId: string) =>
  running.service.stock().find((r) => r.productId === productId);

describe('inventory-service on a real broker', () => {
  it('reserves all or nothing, releases a cancelled order, sells a completed one, and has the same stock after a restart', async () => {
    let running = await startInventory();
    const released = orderPlaced([
      ['sku-mouse', 2],
      ['sku-keyboard', 1],
    ]);
    const sold = orderPlaced([
      ['sku-gpu', 2],
      ['sku-mouse', 1],
    ]);
    const rejected = orderPlaced([
      ['sku-keyboard', 1],
      ['sku-gpu', 2],
    ]);

    await own.producer.publish(released);
    await own.producer.publish(sold);
    await repliesOf(sold.orderId!, 1);
    await own.producer.publish(rejected);
    expect(await repliesOf(rejected.orderId!, 1)).toMatchObject([
      {
        type: 'InventoryRejected',
        data: { shortages: [{ productId: 'sku-gpu', requested: 2, available: 1 }] },
      },
    ]);
    const cancellation = cancelled(released);
    await own.producer.publish(cancellation);
    await own.producer.publish(completed(sold));

    expect((await repliesOf(released.orderId!, 2)).map((e) => e.type)).toEqual([
      'InventoryReserved',
      'InventoryReleased',
    ]);
    await waitFor(() => running.service.reservationOf(sold.orderId!)?.status === 'sold', {
      what: 'the completed order sold',
    });
    const expected = {
      'sku-mouse': { initial: 100, available: 99, reserved: 0, sold: 1 },
      'sku-keyboard': { initial: 50, available: 50, reserved: 0, sold: 0 },
      'sku-gpu': { initial: 3, available: 1, reserved: 0, sold: 2 },
    };
    for (const [productId, numbers] of Object.entries(expected)) {
      expect(row(running, productId)).toEqual({ productId, ...numbers });
    }
    for (const r of running.service.stock()) {
      expect(r.available + r.reserved + r.sold, r.productId).toBe(r.initial);
    }
    // StockChanged: the latest record of each product carries its numbers now.
    await waitFor(
      async () => {
        const latest = new Map<string, unknown>();
        for (const record of await records(topics.stock.name)) {
          const parsed = parseEvent(record.value);
          if (parsed.ok && parsed.event.type === 'StockChanged')
            latest.set(parsed.event.data.productId, parsed.event.data);
        }
        return Object.entries(expected).every(
          ([productId, { available, reserved, sold: s }]) =>
            JSON.stringify(latest.get(productId)) ===
            JSON.stringify({ productId, available, reserved, sold: s }),
        );
      },
      { what: 'StockChanged with the current numbers' },
    );

    const before = running.service.stock();
    await running.stop();
    running = await startInventory();
    try {
      // Rebuilt from inventory-service.state.v1: same numbers, same per-order states.
      expect(running.service.stock()).toEqual(before);
      expect(running.service.reservationOf(released.orderId!)?.status).toBe('released');
      expect(running.service.reservationOf(rejected.orderId!)?.status).toBe('rejected');
      // And StockChanged once for every product at start.
      await waitFor(
        async () => {
          const fresh = (await records(topics.stock.name)).filter(
            (r) => r.timestamp >= running.startedAt,
          );
          return new Set(fresh.map((r) => r.key)).size === catalog.length;
        },
        { what: 'a StockChanged per product after the restart' },
      );

      // Delivered again (a replay): suppressed by the ids stored with the state, nothing moves.
      const suppressed = () =>
        counterValue(running.clients.metrics.duplicatesSuppressed, { group: 'inventory-service' });
      const already = await suppressed();
      await own.producer.publish(cancellation);
      await own.producer.publish(released);
      await waitFor(async () => (await suppressed()) >= already + 2, {
        what: 'duplicates suppressed',
      });
      expect((await eventsOf(topics.inventory.name, released.orderId!)).map((e) => e.type)).toEqual(
        ['InventoryReserved', 'InventoryReleased'],
      );
      expect(running.service.stock()).toEqual(before);
    } finally {
      await running.stop();
    }
  });

  it('fails at the configured rate through orders.retry.v1, with growing gaps, then the DLQ; a FaultsConfigured rate of 0 ends it', async () => {
    const baseMs = 300;
    const running = await startInventory({
      INVENTORY_FAILURE_RATE: '1',
      INVENTORY_RETRY_BASE_MS: String(baseMs),
      INVENTORY_RETRY_FACTOR: '2',
      INVENTORY_RETRY_MAX_ATTEMPTS: '4',
    });
    try {
      const flaky = orderPlaced([['sku-webcam', 1]]);
      await own.producer.publish(flaky);

      const dead = await waitFor(
        async () => {
          const found = (await records(topics.dlq.name)).filter((r) => r.key === flaky.orderId);
          return found.length > 0 && found;
        },
        { what: 'the dead letter' },
      );
      expect(dead[0]!.headers).toMatchObject({
        'dlq-reason': 'retries_exhausted',
        'dlq-consumer-group': 'inventory-service',
        'retry-attempt': '3',
      });
      expect(dead[0]!.headers['dlq-error']).toContain('INVENTORY_UNAVAILABLE');

      const retries = (await records(topics.retry.name)).filter(
        (r) => r.key === flaky.orderId && r.headers['retry-group'] === 'inventory-service',
      );
      expect(retries.map((r) => r.headers['retry-attempt'])).toEqual(['1', '2', '3']);
      // Attempt n+1 fails (and writes the next record) no earlier than retry n was due, and
      // retry n is due base × 2^(n-1) after the failure that wrote it.
      const failures = [...retries.map((r) => r.timestamp), dead[0]!.timestamp];
      retries.forEach((record, i) => {
        const due = Number(record.headers['retry-not-before']);
        expect(due - record.timestamp).toBeGreaterThanOrEqual(baseMs * 2 ** i);
        expect(failures[i + 1]!).toBeGreaterThanOrEqual(due);
      });
      expect(await eventsOf(topics.inventory.name, flaky.orderId!)).toEqual([]);

      const applied = async () =>
        (await running.clients.metrics.faultSwitchesOffset.get()).values[0]?.value;
      const before = await applied();
      const setting = await own.producer.publish(
        createEvent('FaultsConfigured', {
          inventoryFailureRate: 0,
          paymentLimitCents: 500_000,
          declinedCards: ['4000000000000002'],
        }),
      );
      expect(before).toBeLessThan(Number(setting.offset));
      // What a scenario waits for before it places an order the new rate must decide.
      await waitFor(async () => (await applied()) === Number(setting.offset), {
        what: 'kafkadog_fault_switches_offset at the new setting',
      });
      expect(running.service.failureRate).toBe(0);
      const healthy = orderPlaced([['sku-webcam', 1]]);
      await own.producer.publish(healthy);
      expect((await repliesOf(healthy.orderId!, 1)).map((e) => e.type)).toEqual([
        'InventoryReserved',
      ]);
      expect((await records(topics.retry.name)).filter((r) => r.key === healthy.orderId)).toEqual(
        [],
      );
    } finally {
      await running.stop();
    }
  });
});
