import { catalog } from '@kafkadog/contracts';
import { ConfigError } from '@kafkadog/service';
import { describe, expect, it } from 'vitest';
import { inventoryConfig } from './inventory.config.js';

describe('inventory configuration', () => {
  it('defaults to no failures and retries after 1 s, 2 s, 4 s, 8 s: five attempts in all', () => {
    expect(inventoryConfig({})).toEqual({
      failureRate: 0,
      retry: { maxAttempts: 5, baseMs: 1_000, factor: 2, maxMs: 8_000, jitter: 0.2 },
      products: catalog,
    });
  });

  it('reads the failure rate and the retry policy from the environment', () => {
    const config = inventoryConfig({
      INVENTORY_FAILURE_RATE: '1',
      INVENTORY_RETRY_BASE_MS: '200',
      INVENTORY_RETRY_FACTOR: '3',
      INVENTORY_RETRY_MAX_ATTEMPTS: '3',
    });
    expect(config).toMatchObject({
      failureRate: 1,
      retry: { maxAttempts: 3, baseMs: 200, factor: 3, maxMs: 600, jitter: 0.2 },
    });
  });

  it('refuses a rate outside 0..1, naming the variable', () => {
    expect(() => inventoryConfig({ INVENTORY_FAILURE_RATE: '1.5' })).toThrow(ConfigError);
    expect(() => inventoryConfig({ INVENTORY_FAILURE_RATE: 'often' })).toThrow(
      /INVENTORY_FAILURE_RATE/,
    );
  });

  it('starts every product with INVENTORY_STOCK_SCALE times its catalog stock', () => {
    const { products } = inventoryConfig({ INVENTORY_STOCK_SCALE: '1000' });
    expect(products.map((p) => [p.id, p.initialStock])).toEqual(
      catalog.map((p) => [p.id, p.initialStock * 1000]),
    );
    expect(products.find((p) => p.id === 'sku-gpu')?.initialStock).toBe(3000);
  });

  it('refuses a stock scale that is not a whole number from 1, naming the variable', () => {
    for (const bad of ['0', '-2', '1.5', 'lots']) {
      expect(() => inventoryConfig({ INVENTORY_STOCK_SCALE: bad })).toThrow(
        /INVENTORY_STOCK_SCALE/,
      );
    }
  });
});
