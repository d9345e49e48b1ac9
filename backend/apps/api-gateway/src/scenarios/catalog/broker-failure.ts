import { topics } from '@kafkadog/contracts';
import { factsOf, type Fact, type HealthFact, type LogEndFact } from '../facts.js';
import type { RunContext, Scenario } from '../scenario.js';
import { check, judgement, plural, seconds, type Judgement } from '../verdict.js';
import { orderOf } from './orders.js';
import { oneOutcomeEach } from './outcomes.js';

const ORDERS = topics.orders.name;
const AFTER_ORDERS = 2;
const STOP_BY_HAND = '`npm run kafka:stop` in another terminal at the repository root';
const START_BY_HAND = '`npm run kafka:start`';

/** When the gateway first found Kafka away, and when it first answered again after that. */
function outage(facts: readonly Fact[]): { down?: number; up?: number } {
  const samples = factsOf(facts, 'kafka');
  const down = samples.find((s) => !s.up)?.at;
  const up = down === undefined ? undefined : samples.find((s) => s.up && s.at > down)?.at;
  return { down, up };
}

/** The services' health, one round per look (every service asked at once). */
function healthRounds(facts: readonly Fact[]): HealthFact[][] {
  const rounds = new Map<number, HealthFact[]>();
  for (const fact of factsOf(facts, 'health')) {
    rounds.set(fact.at, [...(rounds.get(fact.at) ?? []), fact]);
  }
  return [...rounds.values()];
}

const saysKafkaDown = (h: HealthFact) => !h.up && /kafka/i.test(h.detail);

/** The first look at which every service said Kafka is down, and the first all up after it. */
function servicesOutage(facts: readonly Fact[]): { down?: HealthFact[]; up?: HealthFact[] } {
  const rounds = healthRounds(facts);
  const down = rounds.find((round) => round.length > 0 && round.every(saysKafkaDown));
  const downAt = down?.[0]?.at;
  const up =
    downAt === undefined
      ? undefined
      : rounds.find((round) => (round[0]?.at ?? 0) > downAt && round.every((h) => h.up));
  return { down, up };
}

/** Every service and the gateway saw Kafka go away. */
export function outageSeen(facts: readonly Fact[]): boolean {
  return outage(facts).down !== undefined && servicesOutage(facts).down !== undefined;
}

/** The gateway and every service see Kafka again. */
export function recoverySeen(facts: readonly Fact[]): boolean {
  return outage(facts).up !== undefined && servicesOutage(facts).up !== undefined;
}

const ends = (fact: LogEndFact) => fact.ends.map((e) => e.end).join(', ');

/** The log end of orders.v1 last read before the outage, and first read after it. */
function logEnds(facts: readonly Fact[]): { before?: LogEndFact; after?: LogEndFact } {
  const { down, up } = outage(facts);
  const samples = factsOf(facts, 'logEnd').filter((f) => f.topic === ORDERS);
  return {
    before: down === undefined ? undefined : samples.findLast((s) => s.at < down),
    after: up === undefined ? undefined : samples.find((s) => s.at > up),
  };
}

export function brokerFailureVerdict(facts: readonly Fact[]): Judgement {
  const { down, up } = outage(facts);
  const services = servicesOutage(facts);
  const refused = factsOf(facts, 'refused').filter((r) => r.label === 'during');
  const refusedRight = refused.filter((r) => r.status === 503 && r.error === 'kafka_unavailable');
  const { before, after } = logEnds(facts);
  const unchanged = before !== undefined && after !== undefined && ends(before) === ends(after);
  const checks = [
    oneOutcomeEach(
      facts,
      'before',
      'orders placed before the outage each have exactly one outcome',
    ),
    check(
      'Kafka seen down by the gateway',
      down !== undefined,
      down === undefined
        ? 'Kafka answered every time so far'
        : `from ${new Date(down).toISOString()}`,
    ),
    check(
      'every service reported Kafka down at /health',
      services.down !== undefined,
      services.down
        ? services.down.map((h) => `${h.service} (${h.detail})`).join(', ')
        : 'not every service said so yet',
    ),
    check(
      'an order placed during the outage was refused: 503 kafka_unavailable',
      refusedRight.length > 0,
      refused.length === 0
        ? 'no order tried during the outage yet'
        : refused.map((r) => `${r.status} ${r.error}: ${r.message}`).join('; '),
    ),
    check(
      `nothing written to ${ORDERS} during the outage`,
      unchanged,
      before && after
        ? unchanged
          ? `log end ${ends(before)} before and after`
          : `log end ${ends(before)} before, ${ends(after)} after`
        : 'log end not read on both sides of the outage yet',
    ),
    check(
      'Kafka seen back, every service healthy again',
      up !== undefined && services.up !== undefined,
      up !== undefined && down !== undefined
        ? `after ${seconds(up - down)}${services.up ? '' : '; waiting for every /health'}`
        : 'not yet',
    ),
    oneOutcomeEach(facts, 'after', 'orders placed after it each have exactly one outcome'),
  ];
  const summary =
    down === undefined
      ? 'waiting for Kafka to stop'
      : up === undefined
        ? 'Kafka is down; waiting for it to come back'
        : [
            `Kafka away for about ${seconds(up - down)}`,
            `seen down by the gateway and ${plural(services.down?.length ?? 0, 'service')}`,
            `${plural(refusedRight.length, 'order')} refused with 503, ${unchanged ? 'nothing' : 'something'} written to ${ORDERS}`,
            'orders before and after judged by their outcomes',
          ].join('; ');
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

async function observeOutage(run: RunContext): Promise<void> {
  run.observeKafka();
  await run.observeHealth();
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
    'Places an order and waits for its outcome, stops Kafka (through the lab of `npm start`), ' +
    'watches the gateway and every service report it down, tries an order, starts Kafka again ' +
    'and places orders after. Expects the order during the outage refused with 503 and nothing ' +
    'written to orders.v1, and every order before and after to end with exactly one outcome.',
  faults: [],
  manualSteps: [
    `Once the first order has its outcome: ${STOP_BY_HAND} (every /health turns 503)`,
    'Wait until the run has tried an order during the outage',
    `${START_BY_HAND}: the services reconnect and go on`,
  ],
  async run(run) {
    if (!(await place(run, 'before'))) throw new Error('the first order was refused');
    await run.waitFor(
      'the first order to have its outcome',
      (facts) => oneOutcomeEach(facts, 'before', '').passed,
      run.waitMs,
    );
    await run.observeLogEnd(ORDERS);
    const timeoutMs = run.lab ? run.waitMs : run.watchMs;
    if (run.lab) {
      run.log('asking the lab to stop Kafka');
      await run.lab.stopKafka();
      run.log('Kafka stopped');
    } else {
      run.log(`needs npm start's lab: stop Kafka by hand: ${STOP_BY_HAND}`);
    }
    await run.waitFor(
      'the gateway and every service to report Kafka down',
      outageSeen,
      timeoutMs,
      () => observeOutage(run),
    );
    run.log('the gateway and every service report Kafka down; trying an order');
    if (await place(run, 'during')) run.log('the order during the outage was accepted');
    if (run.lab) {
      run.log('asking the lab to start Kafka');
      await run.lab.startKafka();
      run.log('Kafka answers the lab again');
    } else {
      run.log(`now start Kafka again: ${START_BY_HAND}`);
    }
    await run.waitFor(
      'the gateway and every service to see Kafka again',
      recoverySeen,
      timeoutMs,
      () => observeOutage(run),
    );
    await run.waitFor(
      `the log end of ${ORDERS} after the outage`,
      (facts) => logEnds(facts).after !== undefined,
      run.waitMs,
      () => run.observeLogEnd(ORDERS),
    );
    // The producer may need a moment to reconnect: a few tries for each order.
    for (let n = 0; n < AFTER_ORDERS; n++) {
      for (let attempt = 0; attempt < 10 && !(await place(run, 'after')); attempt++) {
        await run.sleep(2_000);
      }
    }
  },
  verdict: brokerFailureVerdict,
};
