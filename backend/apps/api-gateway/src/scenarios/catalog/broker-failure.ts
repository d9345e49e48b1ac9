import { factsOf, type Fact } from '../facts.js';
import type { RunContext, Scenario } from '../scenario.js';
import { check, judgement, seconds, type Judgement } from '../verdict.js';
import { orderOf } from './orders.js';
import { oneOutcomeEach } from './outcomes.js';

const ORDER_EVERY_MS = 5_000;
const MAX_ORDERS = 20;

/** When the gateway first found Kafka away, and when it first answered again after that. */
function outage(facts: readonly Fact[]): { down?: number; up?: number } {
  const samples = factsOf(facts, 'kafka');
  const down = samples.find((s) => !s.up)?.at;
  const up = down === undefined ? undefined : samples.find((s) => s.up && s.at > down)?.at;
  return { down, up };
}

export function brokerFailureVerdict(facts: readonly Fact[]): Judgement {
  const { down, up } = outage(facts);
  const checks = [
    check(
      'Kafka seen down',
      down !== undefined,
      down === undefined
        ? 'Kafka answered every time so far'
        : `from ${new Date(down).toISOString()}`,
    ),
    check(
      'Kafka seen back',
      up !== undefined,
      up !== undefined && down !== undefined ? `after ${seconds(up - down)}` : 'not yet',
    ),
    oneOutcomeEach(
      facts,
      'before',
      'orders placed before the outage each have exactly one outcome',
    ),
    oneOutcomeEach(facts, 'after', 'orders placed after it each have exactly one outcome'),
  ];
  const summary =
    down === undefined
      ? 'waiting for Kafka to stop'
      : up === undefined
        ? 'Kafka is down; waiting for it to come back'
        : `Kafka away for about ${seconds(up - down)}; orders before and after judged by their outcomes`;
  return judgement(summary, checks);
}

async function place(run: RunContext, label: string): Promise<boolean> {
  try {
    const orderId = await run.placeOrder(orderOf([{ productId: 'sku-mouse', quantity: 1 }]), label);
    run.log(`placed order ${orderId} (${label} the outage)`);
    return true;
  } catch (error) {
    run.log(`order refused: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

export const brokerFailure: Scenario = {
  id: 'broker-failure',
  title: 'Broker failure: Kafka goes away and comes back',
  concept:
    'Producers and consumers keep no state that Kafka does not have: offsets, outputs and the ' +
    "services' own state live in topics. When the broker stops, writes are refused (the gateway " +
    'answers 503) and consumers wait; when it returns, each group resumes from its last committed ' +
    'offset. Nothing placed before the outage is lost or done twice.',
  summary:
    "Places an order every few seconds and watches the gateway's Kafka connection while you stop " +
    'and start the broker by hand. Expects Kafka seen down then up, and every order placed before ' +
    'and after the outage to end with exactly one outcome.',
  faults: [],
  manualSteps: [
    'In another terminal at the repository root: `npm run kafka:stop` (every /health turns 503)',
    'Wait about 10 seconds',
    '`npm run kafka:start`: the services reconnect and go on',
  ],
  async run(run) {
    const deadline = Date.now() + run.watchMs;
    let placed = 0;
    let lastOrder = 0;
    run.log('watching Kafka: stop the broker now (see the steps)');
    for (;;) {
      run.observeKafka();
      const { down, up } = outage(run.facts());
      if (up !== undefined || Date.now() >= deadline) break;
      if (down === undefined && placed < MAX_ORDERS && Date.now() - lastOrder >= ORDER_EVERY_MS) {
        if (await place(run, 'before')) placed++;
        lastOrder = Date.now();
      }
      await run.sleep(1_000);
    }
    if (outage(run.facts()).up === undefined) {
      run.log(`no outage seen within ${Math.round(run.watchMs / 1000)} s`);
      return;
    }
    run.log('Kafka answers again');
    // The producer may need a moment to reconnect: a few tries for each order.
    for (let n = 0; n < 2; n++) {
      for (let attempt = 0; attempt < 10 && !(await place(run, 'after')); attempt++) {
        await run.sleep(2_000);
      }
    }
  },
  verdict: brokerFailureVerdict,
};
