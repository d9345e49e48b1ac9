import { causedBy, createEvent, Headers, type EventOf } from '@kafkadog/contracts';
import type { ReadRecord } from '@kafkadog/kafka';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrderReadModel } from './read-model.js';
import { routedEntry } from './timeline.js';

const items = [{ productId: 'sku-mouse', quantity: 1, unitPrice: 2_999 }];

function placed(): EventOf<'OrderPlaced'> {
  return createEvent(
    'OrderPlaced',
    { customerEmail: 'ada@example.com', items, total: 2_999, cardNumber: '4242424242424242' },
    { orderId: randomUUID() },
  );
}

function record(
  topic: string,
  offset: number,
  timestamp: number,
  value: unknown,
  headers: Record<string, string>,
): ReadRecord {
  return {
    topic,
    partition: 0,
    offset: String(offset),
    key: (value as { orderId?: string }).orderId,
    value: Buffer.from(JSON.stringify(value)),
    headers,
    timestamp,
  };
}

describe('the order timeline', () => {
  it('given a reply with handled-at, then its hop is split into waiting and processing', () => {
    const model = new OrderReadModel();
    const order = placed();
    model.apply(order, { topic: 'orders.v1', partition: 0, offset: '1', timestamp: 1_000 });
    model.apply(causedBy(order, 'PaymentAuthorized', { paymentId: 'p-1', amount: 2_999 }), {
      topic: 'payments.v1',
      partition: 0,
      offset: '1',
      timestamp: 1_050,
      headers: { [Headers.handledAt]: '1030' },
    });
    const reply = model.get(order.orderId!)!.timeline.find((e) => e.type === 'PaymentAuthorized');
    expect(reply).toMatchObject({ causationId: order.id, waitMs: 30, processMs: 20 });
    expect(reply).not.toHaveProperty('handledAt');
  });

  it('given a release, then it is linked to the reservation it undoes', () => {
    const model = new OrderReadModel();
    const order = placed();
    const reserved = causedBy(order, 'InventoryReserved', { items });
    const cancelled = causedBy(order, 'OrderCancelled', {
      customerEmail: 'ada@example.com',
      reasons: ['payment'],
      details: ['card_declined'],
    });
    const released = causedBy(cancelled, 'InventoryReleased', { items });
    model.apply(order, { topic: 'orders.v1', partition: 0, offset: '1', timestamp: 1 });
    model.apply(released, { topic: 'inventory.v1', partition: 0, offset: '8', timestamp: 4 });
    model.apply(reserved, { topic: 'inventory.v1', partition: 0, offset: '7', timestamp: 2 });
    model.apply(cancelled, { topic: 'orders.outcome.v1', partition: 0, offset: '3', timestamp: 3 });
    const timeline = model.get(order.orderId!)!.timeline;
    expect(timeline.find((e) => e.type === 'InventoryReleased')?.compensates).toBe(reserved.id);
    expect(timeline.filter((e) => e.compensates !== undefined)).toHaveLength(1);
  });

  it('given retries and a dead letter of the order, then they are attempts and a terminal hop', () => {
    const model = new OrderReadModel();
    const order = placed();
    model.apply(order, { topic: 'orders.v1', partition: 0, offset: '1', timestamp: 1_000 });
    const retry = (offset: number, n: number, at: number, delay: number) =>
      record('orders.retry.v1', offset, at, order, {
        [Headers.eventType]: 'OrderPlaced',
        [Headers.retryAttempt]: String(n),
        [Headers.retryNotBefore]: String(at + delay),
        [Headers.retryMaxAttempts]: '3',
        [Headers.retryGroup]: 'inventory-service',
        [Headers.error]: 'INVENTORY_UNAVAILABLE',
      });
    const dead = record('orders.dlq.v1', 4, 9_000, order, {
      [Headers.eventType]: 'OrderPlaced',
      [Headers.dlqReason]: 'retries_exhausted',
      [Headers.dlqGroup]: 'inventory-service',
      [Headers.retryAttempt]: '2',
    });
    for (const routed of [retry(10, 1, 2_000, 1_000), retry(11, 2, 4_000, 2_000), dead]) {
      const entry = routedEntry(routed)!;
      expect(entry.orderId).toBe(order.orderId);
      model.applyRouted(entry.orderId, entry.entry);
    }
    // Read again (a restart of the feed): folded once.
    model.applyRouted(order.orderId!, routedEntry(dead)!.entry);
    const timeline = model.get(order.orderId!)!.timeline;
    expect(timeline.map((e) => [e.kind, e.attempt, e.maxAttempts])).toEqual([
      ['event', undefined, undefined],
      ['retry', 2, 3],
      ['retry', 3, 3],
      ['dead-letter', 3, undefined],
    ]);
    expect(timeline[2]).toMatchObject({
      topic: 'orders.retry.v1',
      offset: 11,
      notBefore: new Date(6_000).toISOString(),
      group: 'inventory-service',
      error: 'INVENTORY_UNAVAILABLE',
    });
    expect(timeline[3]).toMatchObject({ reason: 'retries_exhausted', type: 'OrderPlaced' });
  });
});
