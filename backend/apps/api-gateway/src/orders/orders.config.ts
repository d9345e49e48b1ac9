import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

const ordersEnv = z.object({
  /**
   * How many orders the gateway keeps in its read model (the newest first seen); older ones are
   * forgotten, and GET /orders/<id> answers 404 for them. Kafka still holds their events. An
   * order with its timeline takes about 1.5 KB of memory.
   */
  GATEWAY_MAX_ORDERS: z.coerce.number().int().min(100).max(10_000_000).default(5_000),
  /** How many Idempotency-Keys it remembers (the newest); an older key places a new order. */
  GATEWAY_MAX_IDEMPOTENCY_KEYS: z.coerce.number().int().min(100).max(10_000_000).default(20_000),
});

export interface OrdersConfig {
  readonly maxOrders: number;
  readonly maxIdempotencyKeys: number;
}

export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');

export function ordersConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  const parsed = parseEnv(ordersEnv, env);
  return {
    maxOrders: parsed.GATEWAY_MAX_ORDERS,
    maxIdempotencyKeys: parsed.GATEWAY_MAX_IDEMPOTENCY_KEYS,
  };
}
