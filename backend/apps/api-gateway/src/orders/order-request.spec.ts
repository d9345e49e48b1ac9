import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { parseIdempotencyKey, priceRequest, requestFingerprint } from './order-request.js';

const valid = {
  customerEmail: 'ada@example.com',
  items: [{ productId: 'sku-keyboard', quantity: 2 }],
  cardNumber: '4242424242424242',
};

function rejection(body: unknown): { status: number; body: ApiError['body'] } {
  try {
    priceRequest(body);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.getStatus(), body: error.body };
    throw error;
  }
  throw new Error('expected a rejection');
}

function fields(body: unknown): string[] {
  return (rejection(body).body.issues ?? []).map((issue) => issue.field);
}

describe('priceRequest', () => {
  it('given a valid order, then it is priced from the catalog, whatever total the client sends', () => {
    const priced = priceRequest({ ...valid, total: 1 });
    expect(priced.total).toBe(2 * 8_999);
    expect(priced.lines).toEqual([{ productId: 'sku-keyboard', quantity: 2, unitPrice: 8_999 }]);
    expect(priced.request).not.toHaveProperty('total');
  });

  it('given missing fields, then 400 names each of them', () => {
    const { status, body } = rejection({});
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request');
    expect(body.issues).toEqual([
      { field: 'customerEmail', message: 'required' },
      { field: 'items', message: 'required' },
      { field: 'cardNumber', message: 'required' },
    ]);
  });

  it('given a zero, negative, fractional or textual quantity, then the item is named', () => {
    expect(fields({ ...valid, items: [{ productId: 'sku-mouse', quantity: 0 }] })).toEqual([
      'items.0.quantity',
    ]);
    expect(
      fields({
        ...valid,
        items: [
          { productId: 'sku-mouse', quantity: 1 },
          { productId: 'sku-mouse', quantity: -1 },
          { productId: 'sku-mouse', quantity: 1.5 },
          { productId: 'sku-mouse', quantity: '1' },
        ],
      }),
    ).toEqual(['items.1.quantity', 'items.2.quantity', 'items.3.quantity']);
  });

  it('given wrong types and formats, then each field is named', () => {
    expect(fields({ customerEmail: 42, items: {}, cardNumber: '4242' })).toEqual([
      'customerEmail',
      'items',
      'cardNumber',
    ]);
    expect(fields({ ...valid, customerEmail: 'not-an-email' })).toEqual(['customerEmail']);
    expect(fields({ ...valid, items: [] })).toEqual(['items']);
  });

  it('given a body that is not an object, then the body is named', () => {
    expect(fields(undefined)).toEqual(['body']);
    expect(fields([valid])).toEqual(['body']);
  });

  it('given unknown products, then 422 names them and where they were asked for', () => {
    const { status, body } = rejection({
      ...valid,
      items: [
        { productId: 'sku-keyboard', quantity: 1 },
        { productId: 'sku-nope', quantity: 1 },
      ],
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      error: 'unknown_product',
      products: ['sku-nope'],
      issues: [{ field: 'items.1.productId', message: 'unknown product sku-nope' }],
    });
  });
});

describe('requestFingerprint', () => {
  it('is the same for a request and the OrderPlaced data it became', () => {
    const priced = priceRequest(valid);
    const data = { ...valid, items: priced.lines, total: priced.total, idempotencyKey: 'k' };
    expect(requestFingerprint(data)).toBe(requestFingerprint(priced.request));
  });

  it('differs when a quantity differs', () => {
    const other = { ...valid, items: [{ productId: 'sku-keyboard', quantity: 3 }] };
    expect(requestFingerprint(other)).not.toBe(requestFingerprint(valid));
  });
});

describe('parseIdempotencyKey', () => {
  it('accepts no key and visible ASCII keys', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('order-2025-01-01/42')).toBe('order-2025-01-01/42');
  });

  it('rejects an empty, spaced or overlong key, naming the header', () => {
    for (const key of ['', 'a b', 'x'.repeat(256)]) {
      expect(() => parseIdempotencyKey(key)).toThrow(/Idempotency-Key/);
    }
  });
});
