import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { Cents, ProductId } from './orders.js';

export const PageViewed = defineEvent(
  'PageViewed',
  z.object({
    page: z.string().min(1).max(256),
    sessionId: z.string().min(1).max(128),
    productId: ProductId.optional(),
  }),
);

const ProductRank = z.object({ productId: ProductId, quantity: z.number().int(), revenue: Cents });

export const TopProductsUpdated = defineEvent(
  'TopProductsUpdated',
  z.object({
    windowStart: z.iso.datetime(),
    windowEnd: z.iso.datetime(),
    byQuantity: z.array(ProductRank),
    byRevenue: z.array(ProductRank),
    pageviews: z.object({
      total: z.number().int().nonnegative(),
      byPage: z.record(z.string(), z.number().int()),
    }),
  }),
);
