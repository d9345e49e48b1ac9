import { topics } from '@kafkadog/contracts';
import { placedOrders, type Fact, type RecordFact } from '../facts.js';
import type { Scenario } from '../scenario.js';
import {
  check,
  described,
  eventOf,
  judgement,
  onTopic,
  singleOutcome,
  type Judgement,
} from '../verdict.js';
import { DECLINED_CARD, orderOf } from './orders.js';

type Passed = ReturnType<typeof check>;

const sameItems = (a: RecordFact, b: RecordFact) =>
  JSON.stringify(a.data.items ?? []) === JSON.stringify(b.data.items ?? []);

/**
 * The step that succeeded is undone after the cancellation: a later record of the same order (same
 * key, so same partition: offsets compare), for the same amount or items. A service that read the
 * cancellation before the order took no step, and owes nothing: that passes too, and says so.
 */
function compensated(
  facts: readonly Fact[],
  orderId: string,
  topic: string,
  step: string,
  undo: string,
): Passed {
  const done = eventOf(facts, topic, orderId, step);
  const undone = eventOf(facts, topic, orderId, undo);
  const name = `${undo} compensates ${step} on ${topic}`;
  if (!done) {
    return check(
      name,
      !undone,
      undone ? `${undo} without a ${step}` : `no ${step}: nothing to undo`,
    );
  }
  if (!undone) return check(name, false, `${described(done)}, not undone yet`);
  const after = BigInt(undone.offset) > BigInt(done.offset);
  const same =
    step === 'PaymentAuthorized'
      ? done.data.paymentId === undone.data.paymentId && done.data.amount === undone.data.amount
      : sameItems(done, undone);
  return check(
    name,
    after && same,
    `${described(done)} → ${described(undone)}${same ? '' : ' (not the same payment or items)'}${after ? '' : ' (not after it)'}`,
  );
}

function declined(facts: readonly Fact[], orderId: string): Passed[] {
  return [
    onTopic(facts, topics.payments.name, orderId, 'PaymentDeclined'),
    singleOutcome(facts, orderId, 'OrderCancelled', 'payment'),
    compensated(facts, orderId, topics.inventory.name, 'InventoryReserved', 'InventoryReleased'),
  ];
}

function outOfStock(facts: readonly Fact[], orderId: string): Passed[] {
  return [
    onTopic(facts, topics.inventory.name, orderId, 'InventoryRejected'),
    singleOutcome(facts, orderId, 'OrderCancelled', 'inventory'),
    compensated(facts, orderId, topics.payments.name, 'PaymentAuthorized', 'PaymentVoided'),
  ];
}

const label = (prefix: string, checks: Passed[]) =>
  checks.map((c) => ({ ...c, name: `${prefix}: ${c.name}` }));

export function compensationVerdict(facts: readonly Fact[]): Judgement {
  const [decline] = placedOrders(facts, 'declined');
  const [stock] = placedOrders(facts, 'out-of-stock');
  if (!decline || !stock) {
    return judgement('the two orders were not placed', [
      check('a declined order and an out-of-stock order were placed', false, 'missing'),
    ]);
  }
  const checks = [
    ...label('declined card', declined(facts, decline.orderId)),
    ...label('out of stock', outOfStock(facts, stock.orderId)),
  ];
  const undone = (orderId: string, topic: string, type: string) =>
    eventOf(facts, topic, orderId, type) ? type : `no ${type}`;
  const summary =
    `declined card: OrderCancelled (payment), ${undone(decline.orderId, topics.inventory.name, 'InventoryReleased')}; ` +
    `out of stock: OrderCancelled (inventory), ${undone(stock.orderId, topics.payments.name, 'PaymentVoided')}`;
  return judgement(summary, checks);
}

export const compensation: Scenario = {
  id: 'compensation',
  title: 'Compensation: undoing the step that succeeded',
  concept:
    'A saga spread over services has no distributed transaction to roll back. When one step ' +
    'fails, the steps that succeeded are undone by new events: a compensation. Here each service ' +
    'reads the OrderCancelled outcome and undoes its own step, once: InventoryReleased undoes ' +
    'InventoryReserved, PaymentVoided undoes PaymentAuthorized.',
  summary:
    'Places an order with the declined card 4000000000000002 (stock gets reserved, then ' +
    'released) and one for 4 × sku-gpu with 3 in stock (the payment gets authorized, then ' +
    'voided). Expects one OrderCancelled per order, with its reason, and each compensation.',
  faults: ['declinedCards'],
  async run(run) {
    await run.setFaults({ declinedCards: [DECLINED_CARD] });
    const decline = await run.placeOrder(
      orderOf([{ productId: 'sku-keyboard', quantity: 1 }], DECLINED_CARD),
      'declined',
    );
    run.log(`placed order ${decline}: 1 × sku-keyboard with the declined card`);
    const stock = await run.placeOrder(
      orderOf([{ productId: 'sku-gpu', quantity: 4 }]),
      'out-of-stock',
    );
    run.log(`placed order ${stock}: 4 × sku-gpu (3 in stock at most)`);
  },
  verdict: compensationVerdict,
};
