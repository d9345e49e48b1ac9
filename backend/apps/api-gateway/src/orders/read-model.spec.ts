import { causedBy, createEvent, type EventOf, type KafkadogEvent } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrderReadModel, type RecordCoordinates } from './read-model.js';

const items = [{ productId: 'sku-mouse', quantity: 2, unitPrice: 2_999 }];

function placed(createdAt = '2026-01-01T00:00:00.000Z'): EventOf<'OrderPlaced'> {
  const event = createEvent(
    'OrderPlaced',
    { customerEmail: 'ada@example.com', items, total: 5_998, cardNumber: '4242424242424242' },
    { orderId: randomUUID() },
  );
  return { ...event, occurredAt: createdAt };
}

let nextOffset = 0;
function at(topic: string, timestamp: number, offset = nextOffset++): RecordCoordinates {
  return { topic, partition: 1, offset: String(offset), timestamp };
}

function fold(model: OrderReadModel, ...steps: [KafkadogEvent, RecordCoordinates][]) {
  for (const [event, coordinates] of steps) model.apply(event, coordinates);
}

describe('OrderReadModel', () => {
  it('given an OrderPlaced, then the order is PENDING with its timeline entry and coordinates', () => {
    const model = new OrderReadModel();
    const order = placed();
    model.apply(order, { topic: 'orders.v1', partition: 2, offset: '17', timestamp: 1_000 });
    expect(model.get(order.orderId!)).toEqual({
      orderId: order.orderId,
      status: 'PENDING',
      items,
      total: 5_998,
      customerEmail: 'ada@example.com',
      createdAt: order.occurredAt,
      updatedAt: new Date(1_000).toISOString(),
      timeline: [
        {
          kind: 'event',
          type: 'OrderPlaced',
          eventId: order.id,
          causationId: null,
          topic: 'orders.v1',
          partition: 2,
          offset: 17,
          timestamp: new Date(1_000).toISOString(),
        },
      ],
    });
  });

  it('given both replies and OrderCompleted, then COMPLETED with the timeline in flow order', () => {
    const model = new OrderReadModel();
    const order = placed();
    const data = { customerEmail: 'ada@example.com', items, total: 5_998 };
    fold(
      model,
      [order, at('orders.v1', 1_000)],
      [causedBy(order, 'InventoryReserved', { items }), at('inventory.v1', 1_010)],
      [
        causedBy(order, 'PaymentAuthorized', { paymentId: randomUUID(), amount: 5_998 }),
        at('payments.v1', 1_005),
      ],
      [causedBy(order, 'OrderCompleted', data), at('orders.outcome.v1', 1_020)],
    );
    const view = model.get(order.orderId!);
    expect(view).toMatchObject({
      status: 'COMPLETED',
      payment: 'AUTHORIZED',
      inventory: 'RESERVED',
    });
    expect(view?.timeline.map((entry) => entry.type)).toEqual([
      'OrderPlaced',
      'PaymentAuthorized',
      'InventoryReserved',
      'OrderCompleted',
    ]);
  });

  it('given replies read before their OrderPlaced (other partitions), then the order is complete once it arrives', () => {
    const model = new OrderReadModel();
    const order = placed();
    const cancelled = causedBy(order, 'OrderCancelled', {
      customerEmail: 'ada@example.com',
      reasons: ['payment'],
      details: ['card_declined'],
    });
    fold(
      model,
      [cancelled, at('orders.outcome.v1', 1_020)],
      [
        causedBy(order, 'PaymentDeclined', { amount: 5_998, reason: 'card_declined' }),
        at('payments.v1', 1_005),
      ],
    );
    expect(model.get(order.orderId!)).toBeUndefined();
    expect(model.page(10, 0).total).toBe(0);

    model.apply(order, at('orders.v1', 1_000));
    expect(model.get(order.orderId!)).toMatchObject({
      status: 'CANCELLED',
      reason: 'payment',
      reasons: ['payment'],
      details: ['card_declined'],
      payment: 'DECLINED',
      items,
    });
    expect(model.get(order.orderId!)?.timeline.map((entry) => entry.type)).toEqual([
      'OrderPlaced',
      'PaymentDeclined',
      'OrderCancelled',
    ]);
  });

  it('given the same event twice (a redone write), then it is in the timeline once', () => {
    const model = new OrderReadModel();
    const order = placed();
    const reserved = causedBy(order, 'InventoryReserved', { items });
    expect(model.apply(order, at('orders.v1', 1_000))).toBe(true);
    expect(model.apply(reserved, at('inventory.v1', 1_010))).toBe(true);
    expect(model.apply(reserved, at('inventory.v1', 1_500))).toBe(false);
    expect(model.apply(order, at('orders.v1', 1_600))).toBe(false);
    expect(model.get(order.orderId!)?.timeline).toHaveLength(2);
    expect(model.page(10, 0).total).toBe(1);
  });

  it('given a second outcome, then the first one keeps deciding the status', () => {
    const model = new OrderReadModel();
    const order = placed();
    fold(
      model,
      [order, at('orders.v1', 1_000)],
      [
        causedBy(order, 'OrderCancelled', {
          customerEmail: 'a@b.co',
          reasons: ['timeout'],
          details: [],
        }),
        at('orders.outcome.v1', 2_000),
      ],
      [
        causedBy(order, 'OrderCompleted', { customerEmail: 'a@b.co', items, total: 5_998 }),
        at('orders.outcome.v1', 2_001),
      ],
    );
    expect(model.get(order.orderId!)).toMatchObject({ status: 'CANCELLED', reason: 'timeout' });
  });

  it('pages newest first, whatever order the orders were read in', () => {
    const model = new OrderReadModel();
    const orders = ['03', '01', '04', '02'].map((minute) =>
      placed(`2026-01-01T00:${minute}:00.000Z`),
    );
    for (const order of orders) model.apply(order, at('orders.v1', 1_000));
    const minutes = (limit: number, offset: number) =>
      model.page(limit, offset).orders.map((order) => order.createdAt.slice(14, 16));
    expect(minutes(10, 0)).toEqual(['04', '03', '02', '01']);
    expect(minutes(2, 1)).toEqual(['03', '02']);
    expect(model.page(2, 3)).toMatchObject({ total: 4, limit: 2, offset: 3 });
  });

  it('ignores events that are not about an order', () => {
    const model = new OrderReadModel();
    const viewed = createEvent('PageViewed', { page: '/', sessionId: 's' });
    expect(model.apply(viewed, at('analytics.pageviews.v1', 1))).toBe(false);
  });

  it('given more orders than its capacity, then the first seen are forgotten, from the list too', () => {
    const model = new OrderReadModel(3);
    const orders = [1, 2, 3, 4, 5].map((day) => placed(`2026-01-0${day}T00:00:00.000Z`));
    for (const order of orders) model.apply(order, at('orders.v1', 1_000));

    expect(model.size).toBe(3);
    expect(model.get(orders[0]!.orderId!)).toBeUndefined();
    expect(model.get(orders[1]!.orderId!)).toBeUndefined();
    expect(model.page(10, 0).orders.map((o) => o.orderId)).toEqual(
      [orders[4], orders[3], orders[2]].map((o) => o!.orderId),
    );
    // A late reply of a forgotten order is kept for a while, and never listed without its order.
    const late = causedBy(orders[0]!, 'PaymentAuthorized', { paymentId: 'p-1', amount: 5_998 });
    model.apply(late, at('payments.v1', 2_000));
    expect(model.get(orders[0]!.orderId!)).toBeUndefined();
    expect(model.page(10, 0).total).toBeLessThanOrEqual(3);
  });

  it('given a history read in any order, then it keeps the newest by placement once settled', () => {
    const model = new OrderReadModel(2);
    const orders = [1, 2, 3, 4, 5].map((day) => placed(`2026-01-0${day}T00:00:00.000Z`));
    // A reply of an order placed before the kept ones, and one of a kept order, read first.
    const oldReply = causedBy(orders[0]!, 'PaymentAuthorized', { paymentId: 'p-0', amount: 5_998 });
    model.rebuild();
    model.apply(oldReply, at('payments.v1', Date.parse('2026-01-01T00:00:01.000Z')));
    // Partitions interleave: the newest orders are not the last ones read.
    for (const index of [4, 3, 0, 2, 1]) model.apply(orders[index]!, at('orders.v1', 1_000));
    model.settle();

    expect(model.page(10, 0).orders.map((o) => o.orderId)).toEqual(
      [orders[4], orders[3]].map((o) => o!.orderId),
    );
    expect(model.get(orders[2]!.orderId!)).toBeUndefined();
    // Live again: the oldest placed goes first.
    const next = placed('2026-01-06T00:00:00.000Z');
    model.apply(next, at('orders.v1', 2_000));
    expect(model.page(10, 0).orders.map((o) => o.orderId)).toEqual(
      [next, orders[4]].map((o) => o!.orderId),
    );
  });

  it('given a history of many more orders than its capacity, then it holds at most twice as many while reading it', () => {
    const model = new OrderReadModel(2);
    const orders = Array.from({ length: 9 }, (_, i) => placed(`2026-01-0${i + 1}T00:00:00.000Z`));
    model.rebuild();
    for (const order of orders) model.apply(order, at('orders.v1', 1_000));
    expect(model.size).toBeLessThanOrEqual(4);
    // A reply of a dropped order, read later, is dropped too; one of a kept order is folded.
    const dropped = causedBy(orders[0]!, 'PaymentAuthorized', { paymentId: 'p-0', amount: 5_998 });
    const kept = causedBy(orders[8]!, 'PaymentAuthorized', { paymentId: 'p-8', amount: 5_998 });
    expect(model.dropped(orders[0]!.orderId!)).toBe(true);
    expect(model.dropped(orders[8]!.orderId!)).toBe(false);
    expect(model.apply(dropped, at('payments.v1', 2_000))).toBe(false);
    expect(model.apply(kept, at('payments.v1', 2_000))).toBe(true);
    model.settle();

    expect(model.page(10, 0).orders.map((o) => o.orderId)).toEqual(
      [orders[8], orders[7]].map((o) => o!.orderId),
    );
    expect(model.get(orders[8]!.orderId!)?.payment).toBe('AUTHORIZED');
  });
});
