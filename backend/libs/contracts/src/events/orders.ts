import { z } from 'zod';
import { defineEvent } from '../envelope.js';

export const ProductId = z.string().min(1).max(64);
/** Money is an integer number of cents, never a float. */
export const Cents = z.number().int().nonnegative();
export const Quantity = z.number().int().positive().max(1000);

export const OrderLine = z.object({
  productId: ProductId,
  quantity: Quantity,
  unitPrice: Cents,
});
export type OrderLine = z.infer<typeof OrderLine>;

export const StockLine = z.object({ productId: ProductId, quantity: Quantity });
export type StockLine = z.infer<typeof StockLine>;

export const OrderPlaced = defineEvent(
  'OrderPlaced',
  z.object({
    customerEmail: z.email(),
    items: z.array(OrderLine).min(1).max(50),
    total: Cents,
    cardNumber: z.string().regex(/^\d{12,19}$/),
    /** The client's `Idempotency-Key`, kept in the log so the gateway can rebuild key → order. */
    idempotencyKey: z.string().min(1).max(255).optional(),
  }),
);

export const CancellationReason = z.enum(['payment', 'inventory', 'timeout']);
export type CancellationReason = z.infer<typeof CancellationReason>;

export const OrderCompleted = defineEvent(
  'OrderCompleted',
  z.object({ customerEmail: z.email(), items: z.array(OrderLine).min(1), total: Cents }),
);

export const OrderCancelled = defineEvent(
  'OrderCancelled',
  z.object({
    customerEmail: z.email(),
    reasons: z.array(CancellationReason).min(1),
    /** Human-readable details, e.g. `card_declined` or `insufficient_stock: sku-1`. */
    details: z.array(z.string()).default([]),
  }),
);
