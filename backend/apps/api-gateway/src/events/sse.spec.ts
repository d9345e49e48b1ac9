import { createEvent, Headers } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { sseComment, sseMessage, toStreamedRecord } from './sse.js';

const placed = createEvent(
  'OrderPlaced',
  {
    customerEmail: 'ada@example.com',
    items: [{ productId: 'sku-mouse', quantity: 1, unitPrice: 2_999 }],
    total: 2_999,
    cardNumber: '4242424242424242',
  },
  { orderId: '0b9b2c4e-7f0e-4d8e-9d41-3f9c0f7c8a11' },
);

function record(topic: string, value: string, headers: Record<string, string> = {}) {
  return {
    topic,
    partition: 1,
    offset: '9',
    key: placed.orderId,
    value: Buffer.from(value),
    headers,
    timestamp: 0,
  };
}

describe('GET /events messages', () => {
  it('carries the event with its topic, partition and offset', () => {
    const streamed = toStreamedRecord(record('orders.v1', JSON.stringify(placed)));
    expect(streamed).toMatchObject({
      topic: 'orders.v1',
      partition: 1,
      offset: 9,
      type: 'OrderPlaced',
      event: { ...placed, data: { ...placed.data, cardNumber: '************4242' } },
      invalid: null,
    });
    expect(sseMessage(streamed)).not.toContain('4242424242424242');
    expect(sseMessage(streamed)).toBe(`id: orders.v1:1:9\ndata: ${JSON.stringify(streamed)}\n\n`);
  });

  it('shows the event inside a dead letter, and a poison message as what it is', () => {
    const dead = toStreamedRecord(
      record('orders.dlq.v1', JSON.stringify(placed), { [Headers.dlqReason]: 'retries_exhausted' }),
    );
    expect(dead.event?.id).toBe(placed.id);
    const poison = toStreamedRecord(
      record('orders.v1', '{oops', { [Headers.eventType]: 'OrderPlaced' }),
    );
    expect(poison).toMatchObject({
      type: 'OrderPlaced',
      event: null,
      invalid: { reason: 'invalid_json', raw: '{oops' },
    });
  });

  it('writes one event per message, whatever the value holds', () => {
    const streamed = toStreamedRecord(record('orders.v1', 'line one\nline two'));
    expect(sseMessage(streamed).split('\n\n')).toHaveLength(2);
    expect(sseComment('a\nb')).toBe(': a b\n\n');
  });
});
