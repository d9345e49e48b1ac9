import { OrderPlaced, priceOrder, StockLine, type OrderLine } from '@kafkadog/contracts';
import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { parseInput } from '../http/validation.js';

const placed = OrderPlaced.shape.data.shape;

/**
 * The body of POST /orders: the OrderPlaced rules of the contracts for the fields a client sends.
 * Prices and the total are not among them; unknown fields are ignored.
 */
export const OrderRequest = z.object({
  customerEmail: placed.customerEmail,
  items: z.array(StockLine).min(1).max(50),
  cardNumber: placed.cardNumber,
});
export type OrderRequest = z.infer<typeof OrderRequest>;

/** A valid order, priced from the catalog. */
export interface PricedRequest {
  readonly request: OrderRequest;
  readonly lines: OrderLine[];
  readonly total: number;
}

/**
 * Validates and prices a POST /orders body. 400 `invalid_request` naming each bad field; 422
 * `unknown_product` naming each product the catalog does not have, with where it was asked for.
 */
export function priceRequest(body: unknown): PricedRequest {
  const request = parseInput(OrderRequest, body);
  const priced = priceOrder(request.items);
  if (!priced.ok) {
    const issues = request.items.flatMap((item, index) =>
      priced.unknown.includes(item.productId)
        ? [{ field: `items.${index}.productId`, message: `unknown product ${item.productId}` }]
        : [],
    );
    throw new ApiError(422, {
      error: 'unknown_product',
      message: `unknown product${priced.unknown.length > 1 ? 's' : ''}: ${priced.unknown.join(', ')}`,
      products: priced.unknown,
      issues,
    });
  }
  return { request, lines: priced.lines, total: priced.total };
}

/** What makes two requests "the same order" for an Idempotency-Key. */
export function requestFingerprint(order: {
  readonly customerEmail: string;
  readonly items: readonly { productId: string; quantity: number }[];
  readonly cardNumber: string;
}): string {
  return JSON.stringify([
    order.customerEmail,
    order.items.map((item) => [item.productId, item.quantity]),
    order.cardNumber,
  ]);
}

/** The Idempotency-Key header: absent, or 1 to 255 visible ASCII characters. */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
  .optional();

export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (Array.isArray(header)) {
    throw ApiError.invalidRequest([
      { field: 'Idempotency-Key', message: 'must be given at most once' },
    ]);
  }
  const result = IdempotencyKey.safeParse(header);
  if (result.success) return result.data;
  throw ApiError.invalidRequest([
    { field: 'Idempotency-Key', message: result.error.issues[0]?.message ?? 'invalid' },
  ]);
}
