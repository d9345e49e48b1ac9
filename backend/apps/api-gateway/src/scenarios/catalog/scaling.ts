import { factsOf, placedOrders, type Fact, type GroupFact } from '../facts.js';
import type { RunContext, Scenario } from '../scenario.js';
import { check, judgement, outcomesOf, plural, type Judgement } from '../verdict.js';
import { orderOf } from './orders.js';
import { oneOutcomeEach } from './outcomes.js';

const SERVICE = 'payment-service';
const GROUP = 'payment-service';
/** Orders placed before the second instance, and after each rebalance. */
const ORDERS_PER_STEP = 3;
/** While a rebalance goes on: one order a second with the lab, every 5 s while a learner acts. */
const LAB_ORDER_EVERY_MS = 1_000;
const MANUAL_ORDER_EVERY_MS = 5_000;
const MAX_ORDERS = 30;
const START_BY_HAND =
  '`PORT=3013 npm exec -- node backend/apps/payment-service/dist/main.js` (after `npm run build`)';

/** Partition (`orders.v1[1]`) → the member that holds it. */
const owners = (fact: GroupFact) =>
  new Map(fact.members.flatMap((m) => m.partitions.map((p) => [p, m.memberId] as const)));

const memberIds = (fact: GroupFact) => new Set(fact.members.map((m) => m.memberId));

/**
 * The group as the run sampled it: the first sample; the first with more members, the newcomers
 * holding partitions and every partition held (the rebalance done); and after that, the first
 * back to the first size with the newcomers gone and every partition held again.
 */
export function membership(facts: readonly Fact[]) {
  const samples = factsOf(facts, 'group').filter((g) => g.group === GROUP);
  const [first] = samples;
  if (!first) return { first, grown: undefined, shrunk: undefined, newcomers: new Set<string>() };
  const held = owners(first).size;
  const before = memberIds(first);
  const newcomersOf = (g: GroupFact) => g.members.filter((m) => !before.has(m.memberId));
  const grown = samples.find(
    (g) =>
      g.members.length > first.members.length &&
      owners(g).size >= held &&
      newcomersOf(g).some((m) => m.partitions.length > 0),
  );
  const newcomers = new Set(grown ? newcomersOf(grown).map((m) => m.memberId) : []);
  const shrunk = grown
    ? samples.find(
        (g) =>
          g.at > grown.at &&
          g.members.length === first.members.length &&
          g.members.every((m) => !newcomers.has(m.memberId)) &&
          owners(g).size >= held,
      )
    : undefined;
  return { first, grown, shrunk, newcomers };
}

/**
 * `partitions 0, 2 of orders.v1 and orders.outcome.v1` when each topic has the same ones (a group
 * on co-partitioned topics), else `partitions 0, 2 of orders.v1 and 1 of orders.outcome.v1`.
 */
export function partitionList(partitions: readonly string[]): string {
  const byTopic = new Map<string, number[]>();
  for (const name of partitions) {
    const [, topic = name, n = ''] = /^(.*)\[(\d+)\]$/.exec(name) ?? [];
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), Number(n)]);
  }
  const lists = [...byTopic]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([topic, numbers]) => ({ topic, numbers: numbers.sort((a, b) => a - b).join(', ') }));
  const [first] = lists;
  if (!first) return 'no partitions';
  const word = first.numbers.includes(',') || lists.length > 1 ? 'partitions' : 'partition';
  if (lists.every((l) => l.numbers === first.numbers)) {
    return `${first.numbers.includes(',') ? 'partitions' : 'partition'} ${first.numbers} of ${lists.map((l) => l.topic).join(' and ')}`;
  }
  return `${word} ${lists.map((l) => `${l.numbers} of ${l.topic}`).join(' and ')}`;
}

export function scalingVerdict(facts: readonly Fact[]): Judgement {
  const { first, grown, shrunk, newcomers } = membership(facts);
  if (!first) {
    return judgement(`group ${GROUP} not read yet`, [
      check(`group ${GROUP} read`, false, 'no sample'),
    ]);
  }
  const n = first.members.length;
  // The lab's name for the instance it started, when it did: the group only knows member ids.
  const started = factsOf(facts, 'instance').find((i) => i.state === 'started');
  const newcomer = started?.name ?? 'the new member';
  const toNewcomer = grown
    ? [...owners(grown)].filter(([, member]) => newcomers.has(member)).map(([p]) => p)
    : [];
  const movedBack = shrunk ? toNewcomer.filter((p) => owners(shrunk).has(p)) : [];
  const orders = placedOrders(facts);
  const outcomes = orders.reduce((sum, o) => sum + outcomesOf(facts, o.orderId).length, 0);
  const checks = [
    check(`${GROUP} group read`, true, `${plural(n, 'member')}, state ${first.state}`),
    check(
      'a member joined',
      grown !== undefined,
      grown ? `${n} → ${grown.members.length} members` : 'no new member yet',
    ),
    check(
      'partitions moved to the new member (a rebalance)',
      toNewcomer.length > 0,
      toNewcomer.length > 0
        ? `${partitionList(toNewcomer)} → ${newcomer}`
        : 'no partition moved yet',
    ),
    check(
      'it left and its partitions moved back (a second rebalance)',
      shrunk !== undefined && movedBack.length === toNewcomer.length,
      shrunk
        ? `${grown?.members.length ?? '?'} → ${shrunk.members.length} members; ${partitionList(movedBack)} taken over`
        : 'the new member is still in the group',
    ),
    oneOutcomeEach(facts, undefined, 'every order placed has exactly one outcome'),
  ];
  const summary = !grown
    ? `${GROUP}: ${plural(n, 'member')}, waiting for another instance`
    : [
        `${GROUP}: ${n} → ${grown.members.length} members, ${partitionList(toNewcomer)} moved to ${newcomer}`,
        shrunk
          ? `${grown.members.length} → ${shrunk.members.length} after it left`
          : 'waiting for it to leave',
        `${plural(orders.length, 'order')}, ${plural(outcomes, 'outcome')}`,
      ].join('; ');
  return judgement(summary, checks);
}

async function placeOne(run: RunContext, label: string): Promise<void> {
  try {
    const orderId = await run.placeOrder(orderOf([{ productId: 'sku-mouse', quantity: 1 }]), label);
    run.log(`placed order ${orderId} (${label})`);
  } catch (error) {
    run.log(`could not place an order: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Samples the group every second and places an order now and then until `done` holds, while
 * `action` (the lab's start or stop, if any) goes on; rejects after `timeoutMs` or if it fails.
 */
async function placeUntil(
  run: RunContext,
  label: string,
  done: (facts: readonly Fact[]) => boolean,
  timeoutMs: number,
  action?: Promise<unknown>,
): Promise<void> {
  let failed: Error | undefined;
  let finished = action === undefined;
  void action?.then(
    () => (finished = true),
    (error: unknown) =>
      (failed = error instanceof Error ? error : new Error(String(error), { cause: error })),
  );
  const every = run.lab ? LAB_ORDER_EVERY_MS : MANUAL_ORDER_EVERY_MS;
  const deadline = Date.now() + timeoutMs;
  let lastOrder = 0;
  for (;;) {
    if (failed !== undefined) throw failed;
    await run.observeGroup(GROUP).catch(() => undefined);
    if (finished && done(run.facts())) return;
    if (Date.now() >= deadline) {
      throw new Error(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${label}`);
    }
    if (placedOrders(run.facts()).length < MAX_ORDERS && Date.now() - lastOrder >= every) {
      lastOrder = Date.now();
      await placeOne(run, label);
    }
    await run.sleep(1_000);
  }
}

export const scaling: Scenario = {
  id: 'scaling',
  title: 'Scaling and rebalance: more instances share the partitions',
  concept:
    'A consumer group spreads the partitions of its topics over its members; a partition is read ' +
    "by one member at a time, which is what keeps an order's events in order. When an instance " +
    'joins or leaves, the group rebalances: partitions move between members. With 3 partitions, ' +
    'at most 3 instances of a service have work; a fourth would stand idle.',
  summary:
    'Places orders, starts a second payment-service (through the lab of `npm start`) and keeps ' +
    'placing orders while it joins, then stops it (SIGTERM) and places more while it leaves. ' +
    'Expects the group to grow with partitions moving to the new member, to shrink with them ' +
    'moving back, and every order to end with exactly one outcome.',
  faults: [],
  manualSteps: [
    `In a terminal at the repository root, start a second instance: ${START_BY_HAND}`,
    'Watch it join the group here, or at /explorer/groups/payment-service',
    'Once it holds partitions, stop it with Ctrl+C: the group rebalances back',
  ],
  async run(run) {
    await run.observeGroup(GROUP);
    for (let i = 0; i < ORDERS_PER_STEP; i++) await placeOne(run, 'before');
    // With a lab, each step is the run's and waits as long as anything it causes; by hand, as
    // long as a learner may take.
    const timeoutMs = run.lab ? run.waitMs : run.watchMs;
    let starting: Promise<string> | undefined;
    if (run.lab) {
      run.log(`asking the lab for a second ${SERVICE} instance`);
      starting = run.lab.startInstance(SERVICE);
    } else {
      run.log(`needs npm start's lab: start another instance by hand: ${START_BY_HAND}`);
    }
    await placeUntil(
      run,
      'the new member to hold partitions',
      (facts) => membership(facts).grown !== undefined,
      timeoutMs,
      starting,
    );
    const name = starting ? await starting : undefined;
    const { grown } = membership(run.facts());
    run.log(`group ${GROUP} has ${grown?.members.length ?? '?'} members now`);
    for (let i = 0; i < ORDERS_PER_STEP; i++) await placeOne(run, 'grown');

    let stopping: Promise<void> | undefined;
    if (run.lab && name) {
      run.log(`asking the lab to stop ${name} (SIGTERM: it leaves the group)`);
      stopping = run.lab.stopInstance(name, 'SIGTERM');
    } else {
      run.log('now stop the second instance (Ctrl+C in its terminal)');
    }
    await placeUntil(
      run,
      'the group to shrink back',
      (facts) => membership(facts).shrunk !== undefined,
      timeoutMs,
      stopping,
    );
    run.log(
      `group ${GROUP} is back to ${membership(run.facts()).shrunk?.members.length} member(s)`,
    );
    for (let i = 0; i < ORDERS_PER_STEP; i++) await placeOne(run, 'after');
  },
  verdict: scalingVerdict,
};
