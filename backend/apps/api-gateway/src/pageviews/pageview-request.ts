import { PageViewed, productById } from '@kafkadog/contracts';
import type { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { parseInput } from '../http/validation.js';

/** The body of POST /pageviews: exactly the data of a PageViewed event. */
export const PageviewRequest = PageViewed.shape.data;
export type PageviewRequest = z.infer<typeof PageviewRequest>;

/** 400 naming bad fields; 422 for a product the catalog does not have. */
export function parsePageview(body: unknown): PageviewRequest {
  const pageview = parseInput(PageviewRequest, body);
  if (pageview.productId !== undefined && !productById(pageview.productId)) {
    throw new ApiError(422, {
      error: 'unknown_product',
      message: `unknown product: ${pageview.productId}`,
      products: [pageview.productId],
      issues: [{ field: 'productId', message: `unknown product ${pageview.productId}` }],
    });
  }
  return pageview;
}
