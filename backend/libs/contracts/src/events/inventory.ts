import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { ProductId, StockLine } from './orders.js';

export const InventoryReserved = defineEvent(
  'InventoryReserved',
  z.object({ items: z.array(StockLine).min(1) }),
);

export const InventoryRejected = defineEvent(
  'InventoryRejected',
  z.object({
    reason: z.literal('insufficient_stock'),
    shortages: z
      .array(
        z.object({
          productId: ProductId,
          requested: z.number().int().positive(),
          available: z.number().int().nonnegative(),
        }),
      )
      .min(1),
  }),
);

/** Compensation: undoes InventoryReserved when the order is cancelled for another reason. */
export const InventoryReleased = defineEvent(
  'InventoryReleased',
  z.object({ items: z.array(StockLine).min(1) }),
);
