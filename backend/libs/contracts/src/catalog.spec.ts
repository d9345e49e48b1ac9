import { describe, expect, it } from 'vitest';
import { catalog, OrderLine, priceOrder, productById } from './index.js';

describe('the seeded catalog', () => {
  it('lists a handful of products with unique sku ids, integer cent prices and stock', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(6);
    expect(new Set(catalog.map((p) => p.id)).size).toBe(catalog.length);
    for (const product of catalog) {
      expect(product.id).toMatch(/^sku-[a-z0-9-]+$/);
      expect(Number.isInteger(product.price) && product.price > 0).toBe(true);
      expect(Number.isInteger(product.initialStock) && product.initialStock > 0).toBe(true);
    }
  });

  it('has a low-stock product so a learner can trigger insufficient_stock', () => {
    expect(catalog.some((p) => p.initialStock <= 3)).toBe(true);
  });

  it('lets a learner exceed the 500000-cent payment limit with stock that exists', () => {
    const exceedable = catalog.some((p) => {
      const quantity = Math.floor(500_000 / p.price) + 1;
      return quantity <= p.initialStock && quantity <= 1000;
    });
    expect(exceedable).toBe(true);
  });

  it('finds a product by id, and nothing for an unknown id', () => {
    expect(productById('sku-gpu')).toMatchObject({ name: 'Graphics Card', initialStock: 3 });
    expect(productById('sku-nope')).toBeUndefined();
  });
});

describe('pricing an order', () => {
  it('given known products, when priced, then lines carry catalog prices and the total is their sum', () => {
    const priced = priceOrder([
      { productId: 'sku-keyboard', quantity: 2 },
      { productId: 'sku-mouse', quantity: 1 },
    ]);
    expect(priced).toEqual({
      ok: true,
      lines: [
        { productId: 'sku-keyboard', quantity: 2, unitPrice: 8_999 },
        { productId: 'sku-mouse', quantity: 1, unitPrice: 2_999 },
      ],
      total: 2 * 8_999 + 2_999,
    });
  });

  it('produces lines that satisfy the OrderLine schema', () => {
    const priced = priceOrder([{ productId: 'sku-laptop', quantity: 4 }]);
    expect(priced.ok && priced.lines.every((line) => OrderLine.safeParse(line).success)).toBe(true);
    expect(priced.ok && priced.total).toBe(519_600);
  });

  it('ignores any price the client might send: only productId and quantity are read', () => {
    const sneaky = { productId: 'sku-gpu', quantity: 1, unitPrice: 1, price: 1 };
    expect(priceOrder([sneaky])).toMatchObject({ ok: true, total: 79_900 });
  });

  it('keeps repeated products as separate lines, in the order requested', () => {
    const priced = priceOrder([
      { productId: 'sku-gpu', quantity: 1 },
      { productId: 'sku-gpu', quantity: 2 },
    ]);
    expect(priced).toMatchObject({ ok: true, total: 3 * 79_900 });
    expect(priced.ok && priced.lines.map((l) => l.quantity)).toEqual([1, 2]);
  });

  it('given unknown products, when priced, then it fails naming each unknown id once', () => {
    expect(
      priceOrder([
        { productId: 'sku-unicorn', quantity: 1 },
        { productId: 'sku-mouse', quantity: 1 },
        { productId: 'sku-unicorn', quantity: 2 },
        { productId: 'sku-dragon', quantity: 1 },
      ]),
    ).toEqual({ ok: false, unknown: ['sku-unicorn', 'sku-dragon'] });
  });

  it('prices an empty order at zero (the HTTP schema requires at least one item)', () => {
    expect(priceOrder([])).toEqual({ ok: true, lines: [], total: 0 });
  });
});
