import { topics } from '@kafkadog/contracts';
import { placedOrders, recordsOf, type Fact } from '../facts.js';
import type { Scenario } from '../scenario.js';
import {
  check,
  eventOf,
  judgement,
  onTopic,
  seconds,
  singleOutcome,
  type Judgement,
} from '../verdict.js';
import { orderOf } from './orders.js';

export function successVerdict(facts: readonly Fact[]): Judgement {
  const [order] = placedOrders(facts, 'order');
  if (!order) return judgement('no order placed', [check('an order was placed', false, 'none')]);
  const { orderId } = order;
  const checks = [
    onTopic(facts, topics.orders.name, orderId, 'OrderPlaced'),
    onTopic(facts, topics.payments.name, orderId, 'PaymentAuthorized'),
    onTopic(facts, topics.inventory.name, orderId, 'InventoryReserved'),
    singleOutcome(facts, orderId, 'OrderCompleted'),
  ];
  const undone = [
    ...recordsOf(facts, topics.payments.name, orderId),
    ...recordsOf(facts, topics.inventory.name, orderId),
  ].filter((r) => r.type === 'PaymentVoided' || r.type === 'InventoryReleased');
  checks.push(
    check(
      'nothing compensated',
      undone.length === 0,
      undone.length === 0
        ? 'no PaymentVoided, no InventoryReleased'
        : undone.map((r) => r.type).join(', '),
    ),
  );
  const placed = eventOf(facts, topics.orders.name, orderId, 'OrderPlaced');
  const completed = eventOf(facts, topics.outcomes.name, orderId, 'OrderCompleted');
  const summary =
    placed && completed
      ? `order ${orderId} completed ${seconds(completed.timestamp - placed.timestamp)} after it was placed: 4 topics, one outcome`
      : `order ${orderId} has not completed yet`;
  return judgement(summary, checks);
}

export const success: Scenario = {
  id: 'success',
  title: 'Success: one order through the whole saga',
  concept:
    'Each service owns one step and talks to the others only through topics. The order id is the ' +
    'record key, so every event of one order lands in the same partition of each topic and is ' +
    'read in order. Payment and inventory are separate consumer groups: both read every ' +
    'OrderPlaced, in parallel, and the saga correlates their replies into one outcome.',
  summary:
    'Places one order with a good card and a product in stock, then expects OrderPlaced, ' +
    'PaymentAuthorized, InventoryReserved and exactly one OrderCompleted on their topics.',
  faults: [],
  async run(run) {
    const orderId = await run.placeOrder(
      orderOf([{ productId: 'sku-mouse', quantity: 1 }]),
      'order',
    );
    run.log(`placed order ${orderId}: 1 × sku-mouse, card 4242…`);
  },
  verdict: successVerdict,
};
