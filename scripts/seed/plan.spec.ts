import { catalog } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { DECLINED_CARD, orderTotal, PAYMENT_LIMIT, seedOrders, stockNeeded } from './plan.js';

describe('seedOrders', () => {
  const orders = seedOrders(200);
  const of = (scenario: string) => orders.filter((order) => order.scenario === scenario);

  it('makes mostly successes, and some of each failure', () => {
    expect(of('success')).toHaveLength(160);
    expect(of('declined')).toHaveLength(20);
    expect(of('over-limit')).toHaveLength(10);
    expect(of('out-of-stock')).toHaveLength(10);
  });

  it('triggers each rule of DESIGN.md, and only that one', () => {
    for (const order of of('declined')) expect(order.body.cardNumber).toBe(DECLINED_CARD);
    for (const order of of('over-limit')) expect(orderTotal(order)).toBeGreaterThan(PAYMENT_LIMIT);
    for (const order of [...of('success'), ...of('declined'), ...of('out-of-stock')]) {
      expect(orderTotal(order)).toBeLessThanOrEqual(PAYMENT_LIMIT);
    }
    for (const order of of('out-of-stock')) {
      const [item] = order.body.items;
      const product = catalog.find((p) => p.id === item?.productId);
      expect(item?.quantity).toBeGreaterThan(product?.initialStock ?? Infinity);
    }
  });

  it('keeps 200 orders meant to succeed within the initial stock', () => {
    for (const [productId, needed] of stockNeeded(orders)) {
      expect(needed, productId).toBeLessThanOrEqual(
        catalog.find((p) => p.id === productId)?.initialStock ?? 0,
      );
    }
  });

  it('is the same every run', () => {
    expect(seedOrders(200)).toEqual(orders);
  });
});
