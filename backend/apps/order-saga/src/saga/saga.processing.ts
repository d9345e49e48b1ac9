import { eventSchemas, type KafkadogEvent } from '@kafkadog/contracts';
import type { OrderDecider } from '@kafkadog/service';
import { z } from 'zod';
import {
  decide,
  evolve,
  initialSagaState,
  type SagaInput,
  type SagaOutput,
  type SagaTimeout,
  type SagaState,
} from './saga.decider.js';

/**
 * How order-saga runs its decider through `createOrderProcessor`.
 *
 * An outcome, once published, is stored with the order's state in the same batch: after a crash
 * either both are there, or neither, and the inputs decide again.
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

/**
 * The saga decider over one order's stored state. Its input type says Kafka events, as the
 * processor's does; `decide` and `evolve` also take the SagaTimeout that the timer applies.
 */
export const sagaDecider: OrderDecider<SagaState, SagaEvent, SagaOutput> = {
  initialState: initialSagaState,
  decide: (state: SagaState, input: SagaInput): SagaOutput[] => decide(state, input),
  evolve: (state: SagaState, event: SagaInput | SagaOutput): SagaState => evolve(state, event),
};
