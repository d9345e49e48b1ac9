import type { OrderRequest } from '../../orders/order-request.js';

/** Cards the payment rules know: the declined one is a fault switch (`declinedCards`). */
export const GOOD_CARD = '4242424242424242';
export const DECLINED_CARD = '4000000000000002';

export function orderOf(
  items: OrderRequest['items'],
  cardNumber = GOOD_CARD,
  customerEmail = 'learner@example.com',
): OrderRequest {
  return { customerEmail, items, cardNumber };
}
