import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { ProductId } from './orders.js';

/**
 * The fault switches a learner flips while everything runs. The gateway publishes the whole
 * setting each time to a compacted topic; services apply the latest one they read.
 */
export const FaultsConfigured = defineEvent(
  'FaultsConfigured',
  z.object({
    /** Share of reservations that fail transiently and go through the retry topic (0 to 1). */
    inventoryFailureRate: z.number().min(0).max(1),
    /** Payments above this total are declined with `limit_exceeded`. */
    paymentLimitCents: z.number().int().positive(),
    /** Card numbers declined with `card_declined`. */
    declinedCards: z.array(z.string().regex(/^\d{12,19}$/)),
  }),
);

/** The stock of one product after a change: what the gateway serves at GET /products. */
export const StockChanged = defineEvent(
  'StockChanged',
  z.object({
    productId: ProductId,
    available: z.number().int().nonnegative(),
    reserved: z.number().int().nonnegative(),
    sold: z.number().int().nonnegative(),
  }),
);
