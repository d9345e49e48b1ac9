import { createEvent } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decide,
  DECLINED_CARD,
  evolve,
  initialPaymentState,
  type PaymentInput,
} from './payment.decider.js';
import { PaymentStateSchema } from './payment.state.js';

function placed(cardNumber: string, orderId: string) {
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: 8_999 }],
      total: 8_999,
      cardNumber,
    },
    { orderId },
  );
}

function fold(...inputs: PaymentInput[]) {
  return inputs.reduce(
    (state, input) => [input, ...decide(state, input)].reduce(evolve, state),
    initialPaymentState,
  );
}

describe('stored payment state', () => {
  it('accepts every state the decider reaches, as it comes back from JSON', () => {
    const orderId = randomUUID();
    const cancelled = createEvent(
      'OrderCancelled',
      { customerEmail: 'ada@example.com', reasons: ['inventory'], details: [] },
      { orderId },
    );
    const states = [
      initialPaymentState,
      fold(cancelled),
      fold(placed('4242424242424242', orderId)),
      fold(placed(DECLINED_CARD, orderId)),
      fold(placed('4242424242424242', orderId), cancelled),
    ];
    expect(states.map((state) => state.status)).toEqual([
      'undecided',
      'cancelled',
      'authorized',
      'declined',
      'voided',
    ]);
    for (const state of states) {
      expect(PaymentStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    }
  });

  it('rejects a state that is not one of them', () => {
    expect(PaymentStateSchema.safeParse({ status: 'authorized', amount: 1 }).success).toBe(false);
    expect(PaymentStateSchema.safeParse({ status: 'refunded' }).success).toBe(false);
  });
});
