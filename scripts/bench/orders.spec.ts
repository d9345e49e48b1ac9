import { catalog, validateEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { GOOD_CARD, orderBody, orderPlaced } from './orders.js';

describe('bench orders', () => {
  const bodies = Array.from({ length: 100 }, (_, n) => orderBody(n));

  it('mix every catalog product, with a good card', () => {
    const products = new Set(bodies.flatMap((body) => body.items.map((item) => item.productId)));
    expect([...products].sort()).toEqual(catalog.map((p) => p.id).sort());
    expect(bodies.every((body) => body.cardNumber === GOOD_CARD)).toBe(true);
  });

  it('become a valid OrderPlaced, priced from the catalog and under the payment limit', () => {
    for (const body of bodies) {
      const event = orderPlaced(body);
      expect(() => validateEvent(event)).not.toThrow();
      expect(event.data.total).toBeLessThanOrEqual(500_000);
      expect(event.data.items.map((line) => line.productId)).toEqual(
        body.items.map((item) => item.productId),
      );
      expect(event.orderId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
