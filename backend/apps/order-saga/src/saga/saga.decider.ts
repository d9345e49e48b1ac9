import {
  causedBy,
  compensations,
  type CancellationReason,
  type Compensation,
  type EventOf,
} from '@kafkadog/contracts';

/**
 * The order saga, as a decider: `decide(state, input) → outputs`, `evolve(state, event) →
 * state`, one state per order. The adapter folds the input, then the outputs:
 * `state = [input, ...decide(state, input)].reduce(evolve, state)`.
 *
 * It emits exactly one outcome per order: OrderCompleted once payment and inventory both said
 * yes; OrderCancelled as soon as either says no, or when the replies are not all in on time.
 * Replies may come before their OrderPlaced (other topics): they are kept, and the outcome is
 * decided when it arrives. If it never arrives, there is no outcome: nobody was told the order
 * exists, the cancellation could not name a customer, and a reply proves it is on orders.v1.
 */

/** An internal input (not a Kafka event): the order's reply timeout has elapsed. */
export interface SagaTimeout {
  readonly type: 'SagaTimeout';
  readonly orderId: string;
  /** When the timeout fired, epoch ms. */
  readonly at: number;
}

export type SagaInput =
  | EventOf<'OrderPlaced'>
  | EventOf<'PaymentAuthorized'>
  | EventOf<'PaymentDeclined'>
  | EventOf<'PaymentVoided'>
  | EventOf<'InventoryReserved'>
  | EventOf<'InventoryRejected'>
  | EventOf<'InventoryReleased'>
  | SagaTimeout;
export type SagaOutput = EventOf<'OrderCompleted'> | EventOf<'OrderCancelled'>;

export type Step = Extract<CancellationReason, 'payment' | 'inventory'>;
const steps: readonly Step[] = ['payment', 'inventory'];
export type Reply = { ok: true } | { ok: false; detail: string };

export interface SagaState {
  /** Replies can arrive before it (they travel on other topics); the outcome needs its data. */
  readonly placed?: EventOf<'OrderPlaced'>;
  readonly payment?: Reply;
  readonly inventory?: Reply;
  readonly outcome?: 'completed' | 'cancelled';
}

export const initialSagaState: SagaState = {};

// Which step each compensation undoes lives in the contracts (the timeline links them too).
export { compensations, type Compensation };

export function decide(state: SagaState, input: SagaInput): SagaOutput[] {
  if (state.outcome) return [];
  switch (input.type) {
    case 'OrderPlaced':
    case 'PaymentAuthorized':
    case 'PaymentDeclined':
    case 'InventoryReserved':
    case 'InventoryRejected':
      return outcomeOf(evolve(state, input), input);
    case 'PaymentVoided':
    case 'InventoryReleased':
      return []; // compensations: they follow an outcome, they do not lead to one
    case 'SagaTimeout':
      return timeoutOutcome(state);
    default:
      return unreachable(input);
  }
}

/** Records the first reply of each step (a redelivery cannot change it) and the outcome. */
export function evolve(state: SagaState, event: SagaInput | SagaOutput): SagaState {
  switch (event.type) {
    case 'OrderPlaced':
      return state.placed ? state : { ...state, placed: event };
    case 'PaymentAuthorized':
      return state.payment ? state : { ...state, payment: { ok: true } };
    case 'PaymentDeclined':
      return state.payment
        ? state
        : { ...state, payment: { ok: false, detail: event.data.reason } };
    case 'InventoryReserved':
      return state.inventory ? state : { ...state, inventory: { ok: true } };
    case 'InventoryRejected': {
      if (state.inventory) return state;
      const products = event.data.shortages.map((shortage) => shortage.productId).join(', ');
      return { ...state, inventory: { ok: false, detail: `${event.data.reason}: ${products}` } };
    }
    case 'OrderCompleted':
      return state.outcome ? state : { ...state, outcome: 'completed' };
    case 'OrderCancelled':
      return state.outcome ? state : { ...state, outcome: 'cancelled' };
    case 'PaymentVoided':
    case 'InventoryReleased':
    case 'SagaTimeout':
      return state;
    default:
      return unreachable(event);
  }
}

/**
 * Orders still without an outcome `timeoutMs` after their OrderPlaced.occurredAt, as timeout
 * inputs for `decide`. Orders whose OrderPlaced has not arrived are never listed: the
 * cancellation needs the customer's email, and a reply proves the OrderPlaced exists on
 * orders.v1, so the saga waits for it (the clock starts when it comes). Because the clock is
 * event time, the adapter should tick only once it has caught up after a restart, or it could
 * cancel an order whose replies are merely still unread.
 */
export function dueTimeouts(
  sagas: ReadonlyMap<string, SagaState>,
  now: number,
  timeoutMs: number,
): SagaTimeout[] {
  const due: SagaTimeout[] = [];
  for (const [orderId, saga] of sagas) {
    if (saga.outcome || !saga.placed) continue;
    if (Date.parse(saga.placed.occurredAt) + timeoutMs <= now) {
      due.push({ type: 'SagaTimeout', orderId, at: now });
    }
  }
  return due;
}

/** The compensations a cancelled order is owed: one per step that had succeeded, even late. */
export function compensationsOwed(state: SagaState): Compensation[] {
  if (state.outcome !== 'cancelled') return [];
  const owed: Compensation[] = [];
  if (state.payment?.ok) owed.push(compensations.PaymentAuthorized);
  if (state.inventory?.ok) owed.push(compensations.InventoryReserved);
  return owed;
}

function outcomeOf(state: SagaState, cause: Exclude<SagaInput, SagaTimeout>): SagaOutput[] {
  const { placed, payment, inventory } = state;
  if (!placed) return [];
  const { customerEmail, items, total } = placed.data;

  const failures = steps.flatMap((step) => {
    const reply = state[step];
    return reply?.ok === false ? [{ step, detail: reply.detail }] : [];
  });
  if (failures.length > 0) {
    const reasons = failures.map((failure) => failure.step);
    const details = failures.map((failure) => failure.detail);
    return [causedBy(cause, 'OrderCancelled', { customerEmail, reasons, details })];
  }
  if (payment?.ok && inventory?.ok) {
    return [causedBy(cause, 'OrderCompleted', { customerEmail, items, total })];
  }
  return [];
}

function timeoutOutcome(state: SagaState): SagaOutput[] {
  const { placed } = state;
  if (!placed) return [];
  const missing = steps.filter((step) => !state[step]);
  // All replies in but no outcome: state folded without its decision (e.g. a crash between
  // the two). Decide by the replies, so every placed order still reaches its outcome.
  if (missing.length === 0) return outcomeOf(state, placed);
  const reasons: CancellationReason[] = ['timeout'];
  const details = missing.map((step) => `no_reply: ${step}`);
  return [
    causedBy(placed, 'OrderCancelled', {
      customerEmail: placed.data.customerEmail,
      reasons,
      details,
    }),
  ];
}

function unreachable(value: never): never {
  throw new Error(`Unhandled input ${(value as { type: string }).type}`);
}
