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

/**
 * Whether a consumer group's consumers are paused, set from the explorer. The gateway publishes it
 * to a compacted topic keyed by the group id; every service follows that topic, and while its
 * group is paused it closes the group's consumers, which leave the group: Kafka moves a group's
 * offsets only while it has no members.
 */
export const GroupPauseSet = defineEvent(
  'GroupPauseSet',
  z.object({
    groupId: z.string().min(1).max(255),
    paused: z.boolean(),
  }),
);
