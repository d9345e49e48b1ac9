import { randomUUID } from 'node:crypto';
import { causedBy, createEvent, parseEvent, topics, type KafkadogEvent } from '@kafkadog/contracts';
import { counterValue, readToEnd, silentLogger } from '@kafkadog/kafka';
import { describe, expect, it } from 'vitest';
import {
  startInProcess,
  useOwnBroker,
  type InProcessService,
} from '../../../../test/support/in-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { sagaConfig } from '../src/saga/saga.config.js';
import { SagaService } from '../src/saga/saga.service.js';

/**
 * order-saga's Kafka wiring and its timeout clock against a real broker of this file's own (the
 * registry's fixed topics, created by startStack): a saga with a short timeout would cancel every
 * other test's orders on a shared broker. The service runs in this process, built as Nest would.
 */

const own = useOwnBroker('saga-test');

function startSaga(timeoutMs: number): Promise<InProcessService<SagaService>> {
  return startInProcess('order-saga', own.brokers, (clients, health) => {
    return new SagaService(clients, health, sagaConfig({ SAGA_TIMEOUT_MS: String(timeoutMs) }));
  });
}

function order(placedAt = new Date()) {
  const orderId = randomUUID();
  const items = [{ productId: 'sku-mouse', quantity: 1, unitPrice: 2_999 }];
  const data = {
    customerEmail: 'ada@example.com',
    items,
    total: 2_999,
    cardNumber: '4242424242424242',
  };
  const placed = {
    ...createEvent('OrderPlaced', data, { orderId }),
    occurredAt: placedAt.toISOString(),
  };
  return {
    orderId,
    placed,
    authorized: causedBy(placed, 'PaymentAuthorized', { paymentId: randomUUID(), amount: 2_999 }),
    reserved: causedBy(placed, 'InventoryReserved', {
      items: [{ productId: 'sku-mouse', quantity: 1 }],
    }),
  };
}

async function outcomes(): Promise<Map<string, (KafkadogEvent & { at: number })[]>> {
  const byOrder = new Map<string, (KafkadogEvent & { at: number })[]>();
  await readToEnd({
    brokers: own.brokers,
    topics: [topics.outcomes.name],
    logger: silentLogger,
    onRecord: (record) => {
      const parsed = parseEvent(record.value);
      if (!parsed.ok || !parsed.event.orderId) return;
      const list = byOrder.get(parsed.event.orderId) ?? [];
      byOrder.set(parsed.event.orderId, [...list, { ...parsed.event, at: record.timestamp }]);
    },
  });
  return byOrder;
}

function outcomeOf(orderId: string) {
  return waitFor(async () => (await outcomes()).get(orderId), {
    what: `the outcome of ${orderId}`,
  });
}

describe('order-saga on a real broker', () => {
  it('cancels an order whose replies are late, once, and never completes it afterwards, also after a restart', async () => {
    const timeoutMs = 1_500;
    let running = await startSaga(timeoutMs);
    const late = order();
    const done = order();
    try {
      await own.producer.publish(late.placed);
      await own.producer.publish(late.authorized);
      for (const event of [done.placed, done.authorized, done.reserved])
        await own.producer.publish(event);

      const [cancelled] = await outcomeOf(late.orderId);
      expect(cancelled).toMatchObject({
        type: 'OrderCancelled',
        data: { reasons: ['timeout'], details: ['no_reply: inventory'] },
      });
      expect(cancelled!.at - Date.parse(late.placed.occurredAt)).toBeGreaterThanOrEqual(timeoutMs);
      expect((await outcomeOf(done.orderId)).map((e) => e.type)).toEqual(['OrderCompleted']);

      await running.stop();
      running = await startSaga(timeoutMs);

      // The missing reply comes after the cancellation and the restart: recorded, no outcome.
      await own.producer.publish(late.reserved);
      await waitFor(() => running.service.stateOf(late.orderId)?.inventory?.ok === true, {
        what: 'the late reply recorded',
      });
      // A replayed reply of the completed order is suppressed by its id.
      const suppressed = () =>
        counterValue(running.clients.metrics.duplicatesSuppressed, { group: 'order-saga' });
      const already = await suppressed();
      await own.producer.publish(done.reserved);
      await waitFor(async () => (await suppressed()) > already, { what: 'the replay suppressed' });
      // A probe order placed now times out: the clock ran past the late order's deadline again.
      const probe = order();
      await own.producer.publish(probe.placed);
      expect((await outcomeOf(probe.orderId)).map((e) => e.type)).toEqual(['OrderCancelled']);

      const all = await outcomes();
      expect(all.get(late.orderId)!.map((e) => e.id)).toEqual([cancelled!.id]);
      expect(all.get(done.orderId)!.map((e) => e.type)).toEqual(['OrderCompleted']);
    } finally {
      await running.stop();
    }
  });

  it('after a restart, reads the replies it missed before it times anything out', async () => {
    const timeoutMs = 1_000;
    // Placed long ago, all replies in, while no saga ran: due for a timeout by the clock.
    const backlog = Array.from({ length: 150 }, () => order(new Date(Date.now() - 60_000)));
    for (const o of backlog) await own.producer.publish(o.placed);
    for (const o of backlog) await own.producer.publish(o.authorized);
    for (const o of backlog) await own.producer.publish(o.reserved);

    const running = await startSaga(timeoutMs);
    try {
      const all = await waitFor(
        async () => {
          const found = await outcomes();
          return backlog.every((o) => found.has(o.orderId)) && found;
        },
        { what: 'an outcome for every order of the backlog' },
      );
      const kinds = backlog.map((o) =>
        all
          .get(o.orderId)!
          .map((e) => e.type)
          .join(),
      );
      expect(new Set(kinds)).toEqual(new Set(['OrderCompleted']));
    } finally {
      await running.stop();
    }
  });
});
