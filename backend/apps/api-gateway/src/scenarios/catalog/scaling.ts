import { factsOf, type Fact, type GroupFact } from '../facts.js';
import type { RunContext, Scenario } from '../scenario.js';
import { check, judgement, type Judgement } from '../verdict.js';
import { orderOf } from './orders.js';
import { oneOutcomeEach } from './outcomes.js';

const GROUP = 'payment-service';
const ORDER_EVERY_MS = 5_000;
const MAX_ORDERS = 30;

const owners = (fact: GroupFact) =>
  new Map(fact.members.flatMap((m) => m.partitions.map((p) => [p, m.memberId] as const)));

/** The first sample, and the latest one with more members and their partitions handed out. */
function membership(facts: readonly Fact[]) {
  const samples = factsOf(facts, 'group').filter((g) => g.group === GROUP);
  const [first] = samples;
  const grown = first
    ? samples.findLast(
        (g) => g.members.length > first.members.length && owners(g).size >= owners(first).size,
      )
    : undefined;
  return { first, grown };
}

export function scalingVerdict(facts: readonly Fact[]): Judgement {
  const { first, grown } = membership(facts);
  if (!first) {
    return judgement(`group ${GROUP} not read yet`, [
      check(`group ${GROUP} read`, false, 'no sample'),
    ]);
  }
  const before = owners(first);
  const after = grown ? owners(grown) : new Map<string, string>();
  const moved = [...after].filter(([partition, member]) => before.get(partition) !== member);
  const newcomers = new Set(
    grown?.members
      .filter((m) => !first.members.some((f) => f.memberId === m.memberId))
      .map((m) => m.memberId),
  );
  const toNewcomer = moved.filter(([, member]) => newcomers.has(member));
  const clientOf = (memberId: string) =>
    grown?.members.find((m) => m.memberId === memberId)?.clientId ?? memberId;
  const checks = [
    check(`${GROUP} group read`, true, `${first.members.length} member(s), state ${first.state}`),
    check(
      'a member joined',
      grown !== undefined,
      grown ? `${first.members.length} → ${grown.members.length} members` : 'no new member yet',
    ),
    check(
      'partitions moved to the new member (a rebalance)',
      toNewcomer.length > 0,
      toNewcomer.length > 0
        ? toNewcomer.map(([p, m]) => `${p} → ${clientOf(m)}`).join(', ')
        : 'no partition moved yet',
    ),
    oneOutcomeEach(facts, 'during', 'orders placed meanwhile each have exactly one outcome'),
  ];
  const summary = grown
    ? `${GROUP}: ${first.members.length} → ${grown.members.length} members, ${moved.length} partitions moved`
    : `${GROUP}: ${first.members.length} member(s), waiting for another instance`;
  return judgement(summary, checks);
}

async function placeMeanwhile(run: RunContext): Promise<void> {
  try {
    const orderId = await run.placeOrder(
      orderOf([{ productId: 'sku-mouse', quantity: 1 }]),
      'during',
    );
    run.log(`placed order ${orderId}`);
  } catch (error) {
    run.log(`could not place an order: ${error instanceof Error ? error.message : String(error)}`);
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
    'Watches the payment-service group and places an order every few seconds while you start a ' +
    'second payment-service by hand. Expects the group to grow, partitions to move to the new ' +
    'member, and every order placed meanwhile to end with exactly one outcome.',
  faults: [],
  manualSteps: [
    'In a terminal at the repository root (after `npm run build`), start a second instance: ' +
      '`PORT=3013 npm exec -- node backend/apps/payment-service/dist/main.js`',
    'Watch it join the group here, or at /explorer/groups/payment-service',
    'Stop it with Ctrl+C once the verdict is in: the group rebalances back',
  ],
  async run(run) {
    await run.observeGroup(GROUP);
    run.log(`watching group ${GROUP}: start a second payment-service now (see the steps)`);
    const deadline = Date.now() + run.watchMs;
    let placed = 0;
    let lastOrder = 0;
    while (Date.now() < deadline && !membership(run.facts()).grown) {
      if (placed < MAX_ORDERS && Date.now() - lastOrder >= ORDER_EVERY_MS) {
        await placeMeanwhile(run);
        placed++;
        lastOrder = Date.now();
      }
      await run.sleep(1_000);
      await run.observeGroup(GROUP);
    }
    const { grown } = membership(run.facts());
    if (!grown) {
      run.log(`no new member joined within ${Math.round(run.watchMs / 1000)} s`);
      return;
    }
    run.log(`group ${GROUP} has ${grown.members.length} members now`);
    // Orders whose partitions just moved: handled by whoever holds them now.
    for (let i = 0; i < 3; i++) await placeMeanwhile(run);
  },
  verdict: scalingVerdict,
};
