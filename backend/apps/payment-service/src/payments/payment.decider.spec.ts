import { randomUUID } from 'node:crypto';
import { createEvent, validateEvent, type EventOf } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  decide,
  DECLINED_CARD,
  declineReason,
  defaultPaymentRules,
  evolve,
  initialPaymentState,
  paymentIdFor,
  paymentRulesFrom,
  type PaymentInput,
  type PaymentState,
} from './payment.decider.js';

const GOOD_CARD = '4242424242424242';

function orderPlaced(overrides: { total?: number; cardNumber?: string; orderId?: string } = {}) {
  const orderId = overrides.orderId ?? randomUUID();
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: overrides.total ?? 8_999 }],
      total: overrides.total ?? 8_999,
      cardNumber: overrides.cardNumber ?? GOOD_CARD,
    },
    { orderId },
  );
}

function orderCancelled(orderId: string) {
  return createEvent(
    'OrderCancelled',
    { customerEmail: 'ada@example.com', reasons: ['inventory'], details: ['insufficient_stock'] },
    { orderId },
  );
}

function orderCompleted(placed: EventOf<'OrderPlaced'>) {
  const { customerEmail, items, total } = placed.data;
  return createEvent(
    'OrderCompleted',
    { customerEmail, items, total },
    { orderId: placed.orderId },
  );
}

/** Given these inputs were handled (each input and its outputs folded), the resulting state. */
function given(...inputs: PaymentInput[]): PaymentState {
  return inputs.reduce(
    (state, input) => [input, ...decide(state, input)].reduce(evolve, state),
    initialPaymentState,
  );
}

describe('payment rules', () => {
  it('declines the test card, before looking at the amount', () => {
    expect(declineReason(DECLINED_CARD, 100)).toBe('card_declined');
    expect(declineReason(DECLINED_CARD, 10_000_000)).toBe('card_declined');
  });

  it('declines a total over 500000 cents, and authorizes exactly 500000', () => {
    expect(declineReason(GOOD_CARD, 500_001)).toBe('limit_exceeded');
    expect(declineReason(GOOD_CARD, 500_000)).toBeUndefined();
  });
});

describe('payment rules as an input (the fault switches)', () => {
  const strict = { limitCents: 10_000, declinedCards: ['5555555555554444'] };

  it('given a lower limit, when an order is over it, then limit_exceeded', () => {
    const placed = orderPlaced({ total: 10_001 });

    expect(decide(initialPaymentState, placed, strict)).toMatchObject([
      { type: 'PaymentDeclined', data: { reason: 'limit_exceeded', amount: 10_001 } },
    ]);
    expect(decide(initialPaymentState, orderPlaced({ total: 10_000 }), strict)).toMatchObject([
      { type: 'PaymentAuthorized' },
    ]);
  });

  it('given other declined cards, when placed with one, then card_declined; the default test card passes', () => {
    expect(declineReason('5555555555554444', 1, strict)).toBe('card_declined');
    expect(declineReason(DECLINED_CARD, 1, strict)).toBeUndefined();
    expect(
      decide(initialPaymentState, orderPlaced({ cardNumber: DECLINED_CARD }), strict),
    ).toMatchObject([{ type: 'PaymentAuthorized' }]);
  });

  it('given no rules, then the documented defaults apply', () => {
    expect(defaultPaymentRules).toEqual({ limitCents: 500_000, declinedCards: [DECLINED_CARD] });
    const placed = orderPlaced({ total: 500_001 });
    // Without the decision time: the two calls may fall in different milliseconds.
    const timeless = (outputs: ReturnType<typeof decide>) =>
      outputs.map(({ occurredAt: _at, ...output }) => output);
    expect(timeless(decide(initialPaymentState, placed))).toEqual(
      timeless(decide(initialPaymentState, placed, defaultPaymentRules)),
    );
  });

  it('reads the rules from a FaultsConfigured', () => {
    const faults = createEvent('FaultsConfigured', {
      inventoryFailureRate: 0.5,
      paymentLimitCents: 1_234,
      declinedCards: ['4111111111111111'],
    });
    expect(paymentRulesFrom(faults.data)).toEqual({
      limitCents: 1_234,
      declinedCards: ['4111111111111111'],
    });
  });
});

describe('deciding on an OrderPlaced', () => {
  it('given an undecided order, when placed with a good card, then it is authorized for the total', () => {
    const placed = orderPlaced({ total: 12_345 });

    const [authorized, ...rest] = decide(initialPaymentState, placed);

    expect(rest).toEqual([]);
    expect(authorized).toMatchObject({
      type: 'PaymentAuthorized',
      orderId: placed.orderId,
      correlationId: placed.correlationId,
      causationId: placed.id,
      data: { paymentId: paymentIdFor(placed.orderId!), amount: 12_345 },
    });
    expect(() => validateEvent(authorized!)).not.toThrow();
  });

  it('given an undecided order, when placed with the declined card, then card_declined', () => {
    const placed = orderPlaced({ cardNumber: DECLINED_CARD, total: 999_999 });

    expect(decide(initialPaymentState, placed)).toMatchObject([
      {
        type: 'PaymentDeclined',
        causationId: placed.id,
        data: { reason: 'card_declined', amount: 999_999 },
      },
    ]);
  });

  it('given an undecided order, when placed over the limit, then limit_exceeded', () => {
    const placed = orderPlaced({ total: 519_600 });

    expect(decide(initialPaymentState, placed)).toMatchObject([
      { type: 'PaymentDeclined', data: { reason: 'limit_exceeded', amount: 519_600 } },
    ]);
  });

  it('given an authorized order, when the same OrderPlaced comes again, then nothing (idempotent)', () => {
    const placed = orderPlaced();
    expect(decide(given(placed), placed)).toEqual([]);
  });

  it('given a declined order, when the same OrderPlaced comes again, then nothing', () => {
    const placed = orderPlaced({ cardNumber: DECLINED_CARD });
    expect(decide(given(placed), placed)).toEqual([]);
  });

  it('given an order cancelled before we decided, when OrderPlaced arrives late, then it is never charged', () => {
    const placed = orderPlaced();

    const state = given(orderCancelled(placed.orderId!));

    expect(state).toEqual({ status: 'cancelled' });
    expect(decide(state, placed)).toEqual([]);
  });
});

describe('compensating on an OrderCancelled', () => {
  it('given an authorized order, when cancelled, then the authorization is voided', () => {
    const placed = orderPlaced({ total: 4_200 });
    const cancelled = orderCancelled(placed.orderId!);

    expect(decide(given(placed), cancelled)).toMatchObject([
      {
        type: 'PaymentVoided',
        orderId: placed.orderId,
        causationId: cancelled.id,
        data: { paymentId: paymentIdFor(placed.orderId!), amount: 4_200 },
      },
    ]);
  });

  it('given a voided order, when the cancellation comes again, then nothing (no double void)', () => {
    const placed = orderPlaced();
    const cancelled = orderCancelled(placed.orderId!);

    const state = given(placed, cancelled);

    expect(state.status).toBe('voided');
    expect(decide(state, cancelled)).toEqual([]);
  });

  it('given a declined order, when cancelled, then there is nothing to void', () => {
    const placed = orderPlaced({ cardNumber: DECLINED_CARD });
    expect(decide(given(placed), orderCancelled(placed.orderId!))).toEqual([]);
  });

  it('given an undecided order, when cancelled, then there is nothing to void yet', () => {
    expect(decide(initialPaymentState, orderCancelled(randomUUID()))).toEqual([]);
  });
});

describe('an OrderCompleted', () => {
  it('given an authorized order, when completed, then nothing is emitted and nothing changes', () => {
    const placed = orderPlaced();
    const state = given(placed);

    expect(decide(state, orderCompleted(placed))).toEqual([]);
    expect(evolve(state, orderCompleted(placed))).toBe(state);
  });
});

describe('rebuilding state from payments.v1', () => {
  it('given the events the service emitted, when folded, then the state is the live one', () => {
    const placed = orderPlaced({ total: 777 });
    const cancelled = orderCancelled(placed.orderId!);
    const emitted: EventOf<'PaymentAuthorized' | 'PaymentVoided'>[] = [];
    let live = initialPaymentState;
    for (const input of [placed, cancelled]) {
      const outputs = decide(live, input);
      emitted.push(...(outputs as typeof emitted));
      live = [input, ...outputs].reduce(evolve, live);
    }

    const rebuilt = emitted.reduce(evolve, initialPaymentState);

    expect(rebuilt).toEqual(live);
    expect(rebuilt).toEqual({
      status: 'voided',
      paymentId: paymentIdFor(placed.orderId!),
      amount: 777,
    });
  });

  it('given a log replayed twice, when folded, then duplicates change nothing', () => {
    const placed = orderPlaced();
    const log = decide(initialPaymentState, placed);
    const once = log.reduce(evolve, initialPaymentState);
    expect([...log, ...log].reduce(evolve, initialPaymentState)).toEqual(once);
  });

  it('given an authorized order, when a stray decline or a second decision is folded, then it stays authorized', () => {
    const placed = orderPlaced();
    const state = given(placed);
    const declined = createEvent(
      'PaymentDeclined',
      { amount: 1, reason: 'card_declined' },
      { orderId: placed.orderId },
    );

    expect(evolve(state, declined)).toBe(state);
    expect(decide(initialPaymentState, placed).reduce(evolve, state)).toBe(state);
  });

  it('given a declined order, when a stray void is folded, then it stays declined', () => {
    const placed = orderPlaced({ cardNumber: DECLINED_CARD });
    const state = given(placed);
    const voided = createEvent(
      'PaymentVoided',
      { paymentId: paymentIdFor(placed.orderId!), amount: 1 },
      { orderId: placed.orderId },
    );
    expect(evolve(state, voided)).toBe(state);
  });

  it('given an undecided order, when a void is folded, then nothing changes (nothing to void)', () => {
    const voided = createEvent(
      'PaymentVoided',
      { paymentId: paymentIdFor('o'), amount: 1 },
      { orderId: randomUUID() },
    );
    expect(evolve(initialPaymentState, voided)).toBe(initialPaymentState);
  });
});

describe('payment ids', () => {
  it('is the same for the same order on every replay, and different across orders', () => {
    const orderId = randomUUID();
    expect(paymentIdFor(orderId)).toBe(paymentIdFor(orderId));
    expect(paymentIdFor(orderId)).not.toBe(paymentIdFor(randomUUID()));
    expect(paymentIdFor(orderId)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('gives the same payment id when the same order is decided again from scratch', () => {
    const placed = orderPlaced();
    const first = decide(initialPaymentState, placed)[0];
    const again = decide(initialPaymentState, placed)[0];
    expect(first?.type === 'PaymentAuthorized' && first.data.paymentId).toBe(
      again?.type === 'PaymentAuthorized' && again.data.paymentId,
    );
  });
});
