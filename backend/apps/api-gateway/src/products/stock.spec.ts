import { catalog } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { productsWithStock } from './stock.js';

describe('productsWithStock', () => {
  it('given no StockChanged yet, then each product has its initial stock', () => {
    const products = productsWithStock(catalog, new Map());
    expect(products).toHaveLength(catalog.length);
    expect(products[0]).toEqual({
      id: catalog[0]!.id,
      name: catalog[0]!.name,
      price: catalog[0]!.price,
      stock: catalog[0]!.initialStock,
      reserved: 0,
      sold: 0,
      initialStock: catalog[0]!.initialStock,
    });
  });

  it('given a StockChanged, then its product shows the reported levels', () => {
    const products = productsWithStock(
      catalog,
      new Map([['sku-gpu', { available: 1, reserved: 1, sold: 1 }]]),
    );
    expect(products.find((product) => product.id === 'sku-gpu')).toMatchObject({
      stock: 1,
      reserved: 1,
      sold: 1,
      initialStock: 3,
    });
  });
});
