import { causedBy, DlqReasons, Headers } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  carriedHeaders,
  dlqHeaders,
  eventHeaders,
  headerText,
  parseRetryHeaders,
  retryHeaders,
  toHeaderMap,
  type RecordHeaders,
} from '../src/records/index.js';
import { orderPlaced } from './fixtures.js';

const text = (headers: RecordHeaders) =>
  Object.fromEntries([...headers].map(([name, value]) => [name, value.toString()]));

describe('event headers', () => {
  it('carry type, version, id, correlation and causation', () => {
    const placed = orderPlaced();
    const reply = causedBy(placed, 'PaymentAuthorized', { paymentId: randomUUID(), amount: 4999 });
    expect(eventHeaders(reply)).toEqual({
      'event-type': 'PaymentAuthorized',
      'event-version': '1',
      'event-id': reply.id,
      'correlation-id': placed.orderId,
      'causation-id': placed.id,
    });
  });

  it('leave out a null causation id rather than writing "null"', () => {
    expect(eventHeaders(orderPlaced())).not.toHaveProperty('causation-id');
  });
});

describe('retry headers', () => {
  const source = { topic: 'orders.v1', partition: 2, offset: '41' };
  const original = toHeaderMap({ 'event-type': 'OrderPlaced', 'event-id': 'e-1' });

  it('round-trip through parseRetryHeaders', () => {
    const headers = retryHeaders(original, {
      retry: 2,
      notBefore: 1_700_000_000_123,
      source,
      key: 'order-1',
      error: 'INVENTORY_UNAVAILABLE: down\nfor now',
      group: 'inventory-service',
      maxAttempts: 5,
    });
    expect(text(headers)).toMatchObject({
      'event-type': 'OrderPlaced',
      'retry-attempt': '2',
      'retry-not-before': '1700000000123',
      'original-topic': 'orders.v1',
      'original-partition': '2',
      'original-offset': '41',
      'original-key': 'order-1',
      error: 'INVENTORY_UNAVAILABLE: down for now',
      'retry-group': 'inventory-service',
      'retry-max-attempts': '5',
    });
    expect(parseRetryHeaders(headers)).toEqual({
      ok: true,
      fields: {
        retry: 2,
        notBefore: 1_700_000_000_123,
        source,
        key: 'order-1',
        error: 'INVENTORY_UNAVAILABLE: down for now',
        group: 'inventory-service',
        maxAttempts: 5,
      },
    });
  });

  it('replace the routing headers of an earlier retry instead of piling them up', () => {
    const first = retryHeaders(original, {
      retry: 1,
      notBefore: 1,
      source,
      key: 'k',
      error: 'first',
      group: 'g',
    });
    const second = retryHeaders(first, {
      retry: 2,
      notBefore: 2,
      source,
      key: 'k',
      error: 'second',
      group: 'g',
    });
    expect(text(second)).toMatchObject({ 'retry-attempt': '2', error: 'second' });
    expect(text(carriedHeaders(second))).toEqual({
      'event-type': 'OrderPlaced',
      'event-id': 'e-1',
    });
  });

  it('name the header that is missing or invalid', () => {
    const headers = toHeaderMap({
      [Headers.retryAttempt]: '0',
      [Headers.retryNotBefore]: 'soon',
      [Headers.originalTopic]: 'orders.v1',
      [Headers.originalPartition]: '1',
      [Headers.originalOffset]: '7',
    });
    const parsed = parseRetryHeaders(headers);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toContain('retry-attempt');
      expect(parsed.error).toContain('retry-not-before');
      expect(parsed.error).toContain('retry-group');
      expect(parsed.error).not.toContain('original-topic');
    }
  });
});

describe('dead-letter headers', () => {
  it('say why, who gave up and where the record came from', () => {
    const at = new Date('2025-01-02T03:04:05.000Z');
    const headers = dlqHeaders(toHeaderMap({ 'event-id': 'e-1', 'retry-attempt': '3' }), {
      reason: DlqReasons.retriesExhausted,
      error: 'still down',
      group: 'inventory-service',
      source: { topic: 'orders.v1', partition: 0, offset: '9' },
      at,
    });
    expect(text(headers)).toEqual({
      'event-id': 'e-1',
      'dlq-reason': 'retries_exhausted',
      'dlq-error': 'still down',
      'dlq-consumer-group': 'inventory-service',
      'original-topic': 'orders.v1',
      'original-partition': '0',
      'original-offset': '9',
      'dlq-at': '2025-01-02T03:04:05.000Z',
    });
  });
});

describe('header values', () => {
  it('keep bytes as given and encode the rest as UTF-8', () => {
    const raw = Buffer.from([0xff, 0x00]);
    const map = toHeaderMap({ a: raw, b: 'é', c: 12, d: undefined });
    expect(map.get('a')).toBe(raw);
    expect(map.get('b')).toEqual(Buffer.from('é'));
    expect(map.get('c')?.toString()).toBe('12');
    expect(map.has('d')).toBe(false);
  });

  it('are one line and bounded', () => {
    expect(headerText('a\n  b')).toBe('a b');
    expect(headerText('x'.repeat(2000))).toHaveLength(1000);
  });
});
