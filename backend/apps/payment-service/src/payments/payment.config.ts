import { topics, type KafkadogEvent, type TopicSpec } from '@kafkadog/contracts';
import type { PaymentInput } from './payment.decider.js';

/**
 * What the payment service reads and writes. It has no variables of its own: its rules come
 * from the fault switches (api-gateway.faults.v1), with the decider's documented defaults
 * (card 4000000000000002 declined, limit 500 000 cents) until one is published.
 */
export const paymentConfig = {
  groupId: 'payment-service',
  /** OrderPlaced to decide on; OrderCancelled to void an authorization (OrderCompleted: nothing). */
  inputs: [topics.orders, topics.outcomes] as readonly TopicSpec[],
  state: topics.paymentState,
  faults: topics.faults,
  /** Everything it touches, created at start if missing (as `npm run topics:create` would). */
  topics: [
    topics.orders,
    topics.outcomes,
    topics.payments,
    topics.retry,
    topics.dlq,
    topics.paymentState,
    topics.faults,
  ] as readonly TopicSpec[],
} as const;

export function isPaymentInput(event: KafkadogEvent): event is PaymentInput {
  return (
    event.type === 'OrderPlaced' ||
    event.type === 'OrderCancelled' ||
    event.type === 'OrderCompleted'
  );
}
