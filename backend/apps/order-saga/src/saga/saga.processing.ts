import { eventSchemas, type KafkadogEvent } from '@kafkadog/contracts';
import type { OrderDecider } from '@kafkadog/service';
import { z } from 'zod';
import {
  decide,
  dueTimeouts,
  evolve,
  initialSagaState,
  type SagaInput,
  type SagaOutput,
  type SagaState,
  type SagaTimeout,
} from './saga.decider.js';

/**
 * How order-saga runs its decider through `createOrderProcessor`.
 *
 * The decider is deterministic for one order's state, but after a crash the state can be rebuilt
 * from its inputs in another order (replies travel on different topics), or a timeout may not be
 * redone at all. Redoing the work could then decide a different outcome than the one already
 * published. So an outcome, once decided, is the order's outcome: kept here as "decided" until
 * the order's stored state shows it, emitted again (same event id) with the order's next input,
 * never replaced. After a restart the decided outcomes are read from orders.outcome.v1 before the
 * processor starts (`DecidedOutcomes.add`).
 */

/** The events the saga consumes; timeouts come from its own clock (`processor.apply`). */
export type SagaEvent = Exclude<SagaInput, SagaTimeout>;

const Reply = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), detail: z.string() }),
]);

export const SagaStateSchema: z.ZodType<SagaState> = z.object({
  placed: eventSchemas.OrderPlaced.optional(),
  payment: Reply.optional(),
  inventory: Reply.optional(),
  outcome: z.enum(['completed', 'cancelled']).optional(),
});

const sagaEventTypes: ReadonlySet<string> = new Set<SagaEvent['type']>([
  'OrderPlaced',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentVoided',
  'InventoryReserved',
  'InventoryRejected',
  'InventoryReleased',
]);

export function isSagaEvent(event: KafkadogEvent): event is SagaEvent {
  return sagaEventTypes.has(event.type);
}

export function isSagaOutput(event: KafkadogEvent): event is SagaOutput {
  return event.type === 'OrderCompleted' || event.type === 'OrderCancelled';
}

/** Outcomes decided for orders whose stored state may not show them yet; the first one wins. */
export class DecidedOutcomes {
  readonly #byOrder = new Map<string, { outcome: SagaOutput; at: number }>();

  get size(): number {
    return this.#byOrder.size;
  }

  /** `at`: when it was decided (epoch ms); for one read back from Kafka, its record's time. */
  add(outcome: SagaOutput, at = Date.now()): void {
    const orderId = orderIdOf(outcome);
    if (!this.#byOrder.has(orderId)) this.#byOrder.set(orderId, { outcome, at });
  }

  /** The outcome decided for the order that its stored `state` does not show yet. */
  unstored(orderId: string, state: SagaState | undefined): SagaOutput | undefined {
    return state?.outcome ? undefined : this.#byOrder.get(orderId)?.outcome;
  }

  /** Orders whose outcome was decided before `before` (epoch ms) and is not stored yet. */
  *unstoredOrders(
    stored: (orderId: string) => SagaState | undefined,
    before: number,
  ): IterableIterator<string> {
    for (const [orderId, { at }] of this.#byOrder) {
      if (at < before && !stored(orderId)?.outcome) yield orderId;
    }
  }

  /** Forgets the outcomes that the orders' stored states show. */
  prune(stored: (orderId: string) => SagaState | undefined): void {
    for (const orderId of [...this.#byOrder.keys()]) {
      if (stored(orderId)?.outcome) this.#byOrder.delete(orderId);
    }
  }
}

/**
 * The saga decider over one order's stored state. Its input type says Kafka events, as the
 * processor's does; `decide` and `evolve` also take the SagaTimeout that the timer applies.
 */
export function sagaDecider(
  decided: DecidedOutcomes,
): OrderDecider<SagaState, SagaEvent, SagaOutput> {
  return {
    initialState: initialSagaState,
    decide(state: SagaState, input: SagaInput): SagaOutput[] {
      const earlier = decided.unstored(input.orderId!, state);
      if (earlier) return [earlier];
      const outputs = decide(state, input);
      for (const output of outputs) decided.add(output);
      return outputs;
    },
    evolve(state: SagaState, event: SagaInput | SagaOutput): SagaState {
      const earlier = decided.unstored(event.orderId!, state);
      return evolve(earlier ? evolve(state, earlier) : state, event);
    },
  };
}

/** How long a decided outcome may go unstored before a tick stores it (its write is under way). */
export const UNSTORED_GRACE_MS = 5_000;

/**
 * The timeouts to apply now: orders past their deadline (see `dueTimeouts`), and orders whose
 * outcome was decided a while ago but is not stored (its publish or write failed, or a crash came
 * in between): a timeout input makes the processor emit the decided outcome again and store it.
 */
export function timeoutsToApply(
  states: Iterable<[string, SagaState]>,
  decided: DecidedOutcomes,
  now: number,
  timeoutMs: number,
): SagaTimeout[] {
  const byOrder = new Map(states);
  const due = new Map(dueTimeouts(byOrder, now, timeoutMs).map((t) => [t.orderId, t]));
  const stuck = decided.unstoredOrders((id) => byOrder.get(id), now - UNSTORED_GRACE_MS);
  for (const orderId of stuck) {
    if (!due.has(orderId)) due.set(orderId, { type: 'SagaTimeout', orderId, at: now });
  }
  return [...due.values()];
}

function orderIdOf(event: SagaOutput): string {
  if (event.orderId === undefined) throw new TypeError(`${event.type} ${event.id} has no orderId`);
  return event.orderId;
}
