import { Headers, topics } from '@kafkadog/contracts';
import { REDRIVEN_FROM_HEADER } from '../../dlq/dead-letters.js';
import { placedOrders, recordsOf, type Fact, type RecordFact } from '../facts.js';
import type { Scenario } from '../scenario.js';
import {
  check,
  described,
  eventOf,
  judgement,
  onTopic,
  plural,
  seconds,
  singleOutcome,
  type Judgement,
} from '../verdict.js';
import { orderOf } from './orders.js';

const GROUP = 'inventory-service';

const attempt = (r: RecordFact) => Number(r.headers[Headers.retryAttempt]);
const notBefore = (r: RecordFact) => Number(r.headers[Headers.retryNotBefore]);

/** The inventory's own retries of the order (not a redrive), by attempt. */
function retriesOf(facts: readonly Fact[], orderId: string): RecordFact[] {
  return recordsOf(facts, topics.retry.name, orderId)
    .filter((r) => r.headers[Headers.retryGroup] === GROUP && !(REDRIVEN_FROM_HEADER in r.headers))
    .sort((a, b) => attempt(a) - attempt(b));
}

/** inventoryFailureRate 1 then 0, read from the fault switches' own topic. */
function switched(facts: readonly Fact[]) {
  const rates = recordsOf(facts, topics.faults.name).map((r) => r.data.inventoryFailureRate);
  const broken = rates.indexOf(1);
  const repaired = broken >= 0 && rates.slice(broken + 1).includes(0);
  return check(
    `inventoryFailureRate 1, then 0, on ${topics.faults.name}`,
    repaired,
    rates.length === 0 ? 'no FaultsConfigured seen' : `rates seen: ${rates.join(' → ')}`,
  );
}

export function failureRecoveryVerdict(facts: readonly Fact[]): Judgement {
  const [order] = placedOrders(facts, 'order');
  if (!order) return judgement('no order placed', [check('an order was placed', false, 'none')]);
  const { orderId } = order;
  const retries = retriesOf(facts, orderId);
  const letters = recordsOf(facts, topics.dlq.name, orderId).filter(
    (r) => r.headers[Headers.dlqGroup] === GROUP,
  );
  const [letter] = letters;
  const attempts = retries.map(attempt);
  const consecutive = attempts.every((n, i) => n === i + 1);

  // Each failure is stamped by the record it wrote: the gaps between them are the backoff.
  const chain = letter ? [...retries, letter] : retries;
  const gaps = chain.slice(1).map((next, i) => next.timestamp - (chain[i] as RecordFact).timestamp);
  const waited = chain
    .slice(1)
    .every((next, i) => next.timestamp >= notBefore(chain[i] as RecordFact));
  const growing = gaps.every((gap, i) => i === 0 || gap > (gaps[i - 1] as number));
  const gapText = gaps.length > 0 ? `gaps ${gaps.map(seconds).join(', ')}` : 'no gaps yet';

  const redrive = letter
    ? recordsOf(facts, topics.retry.name, orderId).find(
        (r) => r.headers[REDRIVEN_FROM_HEADER] === letter.offset,
      )
    : undefined;
  const placed = eventOf(facts, topics.orders.name, orderId, 'OrderPlaced');
  const [outcome] = recordsOf(facts, topics.outcomes.name, orderId);
  const after = (r: RecordFact | undefined) =>
    r && placed ? ` ${seconds(r.timestamp - placed.timestamp)} after it was placed` : '';

  const checks = [
    switched(facts),
    check(
      `retries on ${topics.retry.name}`,
      retries.length > 0 && consecutive,
      retries.length === 0
        ? 'no retry of the order yet'
        : `${plural(retries.length, 'retry', 'retries')} by ${GROUP}, attempts ${attempts.join(', ')}`,
    ),
    check(
      'growing gaps (exponential backoff), each attempt no earlier than its retry-not-before',
      letter !== undefined && gaps.length > 0 && waited && growing,
      `${gapText}${waited ? '' : '; an attempt ran before it was due'}${growing ? '' : '; a gap did not grow'}`,
    ),
    check(
      `one dead letter (retries_exhausted) on ${topics.dlq.name}`,
      letters.length === 1 && letter?.headers[Headers.dlqReason] === 'retries_exhausted',
      letter
        ? `${letters.length} from ${GROUP}: ${described(letter)}, reason ${letter.headers[Headers.dlqReason]}`
        : 'no dead letter yet',
    ),
    check(
      `redriven to ${topics.retry.name}`,
      redrive !== undefined,
      redrive
        ? `${described(redrive)}, from ${topics.dlq.name}@${letter?.offset}`
        : 'not redriven yet',
    ),
    onTopic(facts, topics.inventory.name, orderId, 'InventoryReserved'),
    singleOutcome(facts, orderId, 'OrderCompleted'),
  ];
  const ending = !outcome
    ? 'no outcome yet'
    : outcome.type === 'OrderCompleted'
      ? `order completed${after(outcome)}`
      : `order cancelled by ${outcome.data.reasons?.join(', ')}${after(outcome)}`;
  const summary =
    `${plural(retries.length, 'retry', 'retries')} on ${topics.retry.name}, ${gapText}; ` +
    `${plural(letters.length, 'dead letter')}; ${redrive ? 'redriven' : 'not redriven'}; ${ending}`;
  return judgement(summary, checks);
}

export const failureRecovery: Scenario = {
  id: 'failure-recovery',
  title: 'Failure and recovery: retries, dead letters, redrive',
  concept:
    'A consumer that fails on a record cannot block its partition while it waits to try again. ' +
    'Inventory parks the record on orders.retry.v1 with the time of its next attempt, waits ' +
    'longer after each failure (exponential backoff with jitter), and after the last attempt ' +
    'moves it to the dead-letter topic orders.dlq.v1. Once the cause is fixed, a redrive puts ' +
    'the dead letter back on the retry topic; if that happens before the saga times the order ' +
    'out, the order completes.',
  summary:
    'Sets inventoryFailureRate to 1, places an order, waits for its dead letter, sets the rate ' +
    'back to 0 and redrives it. Expects growing gaps between the attempts, one dead letter, and ' +
    'the order completed with one outcome.',
  faults: ['inventoryFailureRate'],
  async run(run) {
    await run.setFaults({ inventoryFailureRate: 1 });
    run.log('inventoryFailureRate = 1: inventory fails every attempt');
    const orderId = await run.placeOrder(
      orderOf([{ productId: 'sku-webcam', quantity: 1 }]),
      'order',
    );
    run.log(`placed order ${orderId}: 1 × sku-webcam`);
    await run.waitFor(
      `the dead letter of order ${orderId}`,
      (facts) => recordsOf(facts, topics.dlq.name, orderId).length > 0,
      run.waitMs,
    );
    const [letter] = recordsOf(run.facts(), topics.dlq.name, orderId);
    run.log(`dead letter at ${topics.dlq.name}@${letter?.offset}`);
    await run.setFaults({ inventoryFailureRate: 0 });
    run.log('inventoryFailureRate = 0: inventory works again');
    if (letter) await run.redrive(Number(letter.offset));
    run.log(`redriven ${topics.dlq.name}@${letter?.offset} to ${topics.retry.name}`);
  },
  verdict: failureRecoveryVerdict,
};
