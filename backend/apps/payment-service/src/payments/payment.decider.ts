import {
  causedBy,
  uuidV5,
  type DataOf,
  type DeclineReason,
  type EventOf,
} from '@kafkadog/contracts';

/**
 * Payment rules, as a decider: `decide(state, input) → outputs`, `evolve(state, event) → state`,
 * one state per order. The adapter folds the input, then the outputs:
 * `state = [input, ...decide(state, input)].reduce(evolve, state)`.
 *
 * Rules a learner can trigger: a declined card is declined (`card_declined`); a total over the
 * limit is declined (`limit_exceeded`), the card rule being checked first; anything else is
 * authorized. The rules are an input (the latest FaultsConfigured, switchable while everything
 * runs); by default card 4000000000000002 is declined and the limit is 500 000 cents.
 */

export const DECLINED_CARD = '4000000000000002';
export const AUTHORIZATION_LIMIT_CENTS = 500_000;

export interface PaymentRules {
  /** Totals above this are declined with `limit_exceeded`. */
  readonly limitCents: number;
  /** Cards declined with `card_declined`. */
  readonly declinedCards: readonly string[];
}

export const defaultPaymentRules: PaymentRules = {
  limitCents: AUTHORIZATION_LIMIT_CENTS,
  declinedCards: [DECLINED_CARD],
};

/** The payment part of the fault switches. */
export function paymentRulesFrom(faults: DataOf<'FaultsConfigured'>): PaymentRules {
  return { limitCents: faults.paymentLimitCents, declinedCards: [...faults.declinedCards] };
}

export type PaymentInput =
  EventOf<'OrderPlaced'> | EventOf<'OrderCancelled'> | EventOf<'OrderCompleted'>;
export type PaymentOutput =
  EventOf<'PaymentAuthorized'> | EventOf<'PaymentDeclined'> | EventOf<'PaymentVoided'>;

export type PaymentState =
  | { status: 'undecided' }
  /** The order was cancelled before we decided (e.g. the saga timed out): never charge it. */
  | { status: 'cancelled' }
  | { status: 'authorized'; paymentId: string; amount: number }
  | { status: 'declined'; reason: DeclineReason; amount: number }
  | { status: 'voided'; paymentId: string; amount: number };

export const initialPaymentState: PaymentState = { status: 'undecided' };

export function decide(
  state: PaymentState,
  input: PaymentInput,
  rules: PaymentRules = defaultPaymentRules,
): PaymentOutput[] {
  switch (input.type) {
    case 'OrderPlaced': {
      if (state.status !== 'undecided') return [];
      const amount = input.data.total;
      const reason = declineReason(input.data.cardNumber, amount, rules);
      if (reason) return [causedBy(input, 'PaymentDeclined', { amount, reason })];
      const paymentId = paymentIdFor(orderIdOf(input));
      return [causedBy(input, 'PaymentAuthorized', { paymentId, amount })];
    }
    case 'OrderCancelled':
      // Compensation of PaymentAuthorized: only an authorization that still stands is voided.
      if (state.status !== 'authorized') return [];
      return [
        causedBy(input, 'PaymentVoided', { paymentId: state.paymentId, amount: state.amount }),
      ];
    case 'OrderCompleted':
      return [];
    default:
      return unreachable(input);
  }
}

/**
 * Folds this service's own events (so replaying payments.v1 rebuilds every decision) and
 * OrderCancelled, whose only effect is to mark an order cancelled before it was decided: it
 * can reach us first, because outcomes and orders are different topics and an OrderPlaced may
 * be late (lag, a restart). Once decided, OrderCancelled changes nothing here: the void does.
 */
export function evolve(state: PaymentState, event: PaymentInput | PaymentOutput): PaymentState {
  switch (event.type) {
    case 'PaymentAuthorized':
      if (state.status !== 'undecided') return state;
      return { status: 'authorized', ...event.data };
    case 'PaymentDeclined':
      if (state.status !== 'undecided') return state;
      return { status: 'declined', ...event.data };
    case 'PaymentVoided':
      if (state.status !== 'authorized') return state;
      return { status: 'voided', ...event.data };
    case 'OrderCancelled':
      return state.status === 'undecided' ? { status: 'cancelled' } : state;
    case 'OrderPlaced':
    case 'OrderCompleted':
      return state;
    default:
      return unreachable(event);
  }
}

export function declineReason(
  cardNumber: string,
  total: number,
  rules: PaymentRules = defaultPaymentRules,
): DeclineReason | undefined {
  if (rules.declinedCards.includes(cardNumber)) return 'card_declined';
  if (total > rules.limitCents) return 'limit_exceeded';
  return undefined;
}

/** Fixed namespace for payment ids, so an order's payment id is the same on every replay. */
const PAYMENT_ID_NAMESPACE = '5b0e7a4c-3f2d-4c8e-9a61-2d7f0c1e8b35';

export function paymentIdFor(orderId: string): string {
  return uuidV5(orderId, PAYMENT_ID_NAMESPACE);
}

/** The order's id; the correlation id is the same value, and is present on every event. */
function orderIdOf(event: PaymentInput): string {
  return event.orderId ?? event.correlationId;
}

function unreachable(value: never): never {
  throw new Error(`Unhandled event ${(value as { type: string }).type}`);
}
