import { describe, expect, it } from 'vitest';
import {
  allTopics,
  causedBy,
  createEvent,
  DlqReasons,
  FLOW_RETENTION_MS,
  keyOf,
  parseEvent,
  publicTopics,
  serializeEvent,
  topicOf,
  topics,
  uuidV5,
  validateEvent,
} from './index.js';

const orderId = '0b7c6f8e-7a51-4a43-9d6b-0f1f5f7d2a10';

function placed() {
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 2, unitPrice: 4999 }],
      total: 9998,
      cardNumber: '4242424242424242',
    },
    { orderId },
  );
}

describe('topic registry', () => {
  it('declares the eight topics with the partition counts of the design', () => {
    expect(publicTopics.map((t) => [t.name, t.partitions])).toEqual([
      ['orders.v1', 3],
      ['payments.v1', 3],
      ['inventory.v1', 3],
      ['orders.outcome.v1', 3],
      ['analytics.pageviews.v1', 1],
      ['analytics.snapshots.v1', 1],
      ['orders.retry.v1', 1],
      ['orders.dlq.v1', 1],
    ]);
  });

  it('names internal topics <service>.<purpose>.v1 and compacts the ones holding state', () => {
    const internal = allTopics.filter((t) => t.internal);
    expect(internal.length).toBeGreaterThan(0);
    for (const topic of internal) {
      expect(topic.name).toMatch(/^[a-z-]+\.[a-z-]+\.v1$/);
      expect(topic.configs?.['cleanup.policy']).toBe('compact');
      // A segment that never closes is never compacted.
      expect(Number(topic.configs?.['segment.bytes'])).toBeLessThan(1024 * 1024 * 1024);
    }
  });

  it('bounds the order flow topics by time and size, and keeps state at least as long', () => {
    for (const topic of publicTopics) {
      expect(topic.configs?.['retention.ms']).toBe(String(FLOW_RETENTION_MS));
      expect(Number(topic.configs?.['retention.bytes'])).toBeGreaterThan(0);
    }
    for (const topic of allTopics.filter((t) => t.internal)) {
      expect(Number(topic.configs?.['delete.retention.ms'])).toBeGreaterThanOrEqual(
        FLOW_RETENTION_MS,
      );
    }
  });

  it('puts every event type on exactly one topic', () => {
    const owners = allTopics.flatMap((t) => t.events);
    expect(new Set(owners).size).toBe(owners.length);
    expect(topicOf('PaymentVoided')).toBe(topics.payments);
  });

  it('keys order events by orderId and page views by session', () => {
    expect(keyOf(placed())).toBe(orderId);
    const view = createEvent('PageViewed', { page: '/products', sessionId: 's-1' });
    expect(keyOf(view)).toBe('s-1');
  });

  it('keys a group pause by the group id, on the compacted control topic', () => {
    const pause = createEvent('GroupPauseSet', { groupId: 'payment-service', paused: true });
    expect(keyOf(pause)).toBe('payment-service');
    expect(topicOf('GroupPauseSet')).toBe(topics.control);
  });
});

describe('creating events', () => {
  it('given an OrderPlaced, when a reply is caused by it, then it carries correlation and causation', () => {
    const order = placed();
    const reply = causedBy(order, 'PaymentAuthorized', {
      paymentId: '6f1c1a4e-2b8e-4a8e-9f0a-1d2b3c4d5e6f',
      amount: 9998,
    });
    expect(order.correlationId).toBe(orderId);
    expect(order.causationId).toBeNull();
    expect(reply.orderId).toBe(orderId);
    expect(reply.correlationId).toBe(order.correlationId);
    expect(reply.causationId).toBe(order.id);
    expect(reply.id).not.toBe(order.id);
  });

  it('derives the id of a caused event from its cause, so redoing the work yields the same event', () => {
    const order = placed();
    const data = { amount: 9998, reason: 'card_declined' } as const;
    const first = causedBy(order, 'PaymentDeclined', data);
    expect(causedBy(order, 'PaymentDeclined', data).id).toBe(first.id);
    expect(
      causedBy(order, 'InventoryReserved', { items: [{ productId: 'x', quantity: 1 }] }).id,
    ).not.toBe(first.id);
    expect(causedBy(placed(), 'PaymentDeclined', data).id).not.toBe(first.id);
  });

  it('derives UUID v5 as RFC 9562 says (its test vector)', () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('rejects an invalid event before it is sent', () => {
    const bad = { ...placed(), data: { ...placed().data, total: -1 } };
    expect(() => validateEvent(bad)).toThrow(/data\.total/);
  });
});

describe('parsing records', () => {
  it('round-trips a valid event', () => {
    const event = placed();
    expect(parseEvent(serializeEvent(event), topics.orders)).toEqual({ ok: true, event });
  });

  it.each([
    ['not json', '{nope', DlqReasons.invalidJson],
    ['empty', '', DlqReasons.invalidJson],
    ['no envelope', '{"hello":"world"}', DlqReasons.invalidSchema],
  ])('classifies %s as poison', (_name, raw, reason) => {
    expect(parseEvent(raw, topics.orders)).toMatchObject({ ok: false, reason });
  });

  it('names the field that fails validation', () => {
    const event = placed();
    const raw = JSON.stringify({
      ...event,
      data: { ...event.data, items: [{ productId: 'x', quantity: 0, unitPrice: 1 }] },
    });
    const result = parseEvent(raw, topics.orders);
    expect(result).toMatchObject({ ok: false, reason: DlqReasons.invalidSchema });
    expect(!result.ok && result.error).toMatch(/data\.items\.0\.quantity/);
  });

  it('rejects unknown types and events on the wrong topic', () => {
    const event = placed();
    expect(parseEvent(JSON.stringify({ ...event, type: 'OrderShipped' }))).toMatchObject({
      reason: DlqReasons.unknownEventType,
    });
    expect(parseEvent(serializeEvent(event), topics.payments)).toMatchObject({
      reason: DlqReasons.wrongTopic,
    });
  });
});
