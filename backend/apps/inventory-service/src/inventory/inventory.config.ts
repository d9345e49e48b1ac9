import { catalog, type Product } from '@kafkadog/contracts';
import type { RetryPolicy } from '@kafkadog/kafka';
import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

export const inventoryEnv = z.object({
  /**
   * Share of OrderPlaced events that fail transiently (0 to 1), until the gateway publishes a
   * FaultsConfigured: from then on its inventoryFailureRate applies.
   */
  INVENTORY_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** The delay before the first retry; each next one is INVENTORY_RETRY_FACTOR times longer. */
  INVENTORY_RETRY_BASE_MS: z.coerce.number().int().min(0).default(1_000),
  INVENTORY_RETRY_FACTOR: z.coerce.number().min(1).default(2),
  /** Handler calls in all, the first included; then the event goes to the DLQ. */
  INVENTORY_RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /**
   * Starts every product with this many times its catalog stock: a load test (`npm run bench`)
   * places thousands of orders, and the catalog's few items would cancel nearly all of them.
   */
  INVENTORY_STOCK_SCALE: z.coerce.number().int().min(1).max(1_000_000).default(1),
});

/** The Nest injection token of the parsed InventoryConfig. */
export const INVENTORY_CONFIG = Symbol('INVENTORY_CONFIG');

export interface InventoryConfig {
  readonly failureRate: number;
  readonly retry: RetryPolicy;
  /** The catalog with the initial stock this inventory starts from. */
  readonly products: readonly Product[];
}

export function inventoryConfig(env: NodeJS.ProcessEnv = process.env): InventoryConfig {
  const parsed = parseEnv(inventoryEnv, env);
  const baseMs = parsed.INVENTORY_RETRY_BASE_MS;
  const factor = parsed.INVENTORY_RETRY_FACTOR;
  const maxAttempts = parsed.INVENTORY_RETRY_MAX_ATTEMPTS;
  return {
    failureRate: parsed.INVENTORY_FAILURE_RATE,
    retry: {
      maxAttempts,
      baseMs,
      factor,
      // No cap below the last retry's delay: every retry waits base × factor^(n-1), as configured.
      maxMs: baseMs * factor ** Math.max(0, maxAttempts - 2),
      jitter: 0.2,
    },
    products: catalog.map((product) => ({
      ...product,
      initialStock: product.initialStock * parsed.INVENTORY_STOCK_SCALE,
    })),
  };
}
