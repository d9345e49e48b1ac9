// Several instances of every service behind one gateway, as `npm start -- --scale` runs them:
// three payment instances (one partition each), two of the others. The groups share the
// partitions, the single-active services (inventory, analytics) stand by; then one instance each
// of the saga, payment and inventory (the active one) is killed under load and not restarted.
// The gateway's explorer shows the dead payment member leave and its partitions move to the
// others; every order still gets exactly one outcome and one email, and the stock is conserved.
import { catalog, topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { withAdmin, waitForQuiet } from '../support/groups.js';
import {
  expectOneOutcomeEach,
  expectStockConserved,
  outcomesByOrder,
} from '../support/invariants.js';
import {
  activeInventory,
  cards,
  emailLines,
  orderBody,
  placeOrders,
  type OrderRequest,
} from '../support/orders.js';
import type { ProcessName } from '../../scripts/lib/stack.js';
import { useStack } from '../support/system.js';
import { readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const ORDERS = 400;
const KILL_AFTER = 150;
const stack = useStack({
  instances: {
    'order-saga': 2,
    'payment-service': 3,
    'inventory-service': 2,
    'notification-service': 2,
    'analytics-service': 2,
  },
});

function bodies(): OrderRequest[] {
  return Array.from({ length: ORDERS }, (_, i) => {
    const product = catalog[i % catalog.length] ?? catalog[0];
    return orderBody([{ productId: product?.id ?? 'sku-mouse', quantity: 1 + (i % 2) }], {
      customerEmail: `scale${i}@example.com`,
      ...(i % 25 === 3 ? { cardNumber: cards.declined } : {}),
    });
  });
}

interface GroupDetail {
  members: { memberId: string; assignments: { topic: string; partitions: number[] }[] }[];
  rebalances: { joined: string[]; left: string[] }[];
}

/** GET /explorer/groups/<id>: the group as the dashboard's explorer shows it. */
async function explorerGroup(gatewayUrl: string, group: string): Promise<GroupDetail> {
  const response = await fetch(`${gatewayUrl}/explorer/groups/${group}`);
  if (response.status !== 200) throw new Error(`GET /explorer/groups/${group}: ${response.status}`);
  return (await response.json()) as GroupDetail;
}

/** The partitions of `topic` each member holds, by member id. */
function holdings(group: GroupDetail, topic: string): Map<string, number[]> {
  return new Map(
    group.members.map((member) => [
      member.memberId,
      member.assignments.find((a) => a.topic === topic)?.partitions ?? [],
    ]),
  );
}

/** The member id a process last joined `group` with, from its log. */
function memberIdOf(lines: readonly string[], group: string): string | undefined {
  const joined = new RegExp(`joined consumer group group=${group} member=(\\S+)`);
  return lines.flatMap((line) => joined.exec(line)?.[1] ?? []).at(-1);
}

/** The orders.v1 partitions a "joined consumer group … assigned=…" log line lists. */
function heldIn(line: string): number[] {
  const match = /joined consumer group .*assigned=.*orders\.v1\[([\d,]+)\]/.exec(line);
  return match?.[1]?.split(',').map(Number) ?? [];
}

/** How many members of the group hold partitions. */
async function membersOf(brokers: string[], group: string): Promise<number> {
  const { members } = await withAdmin(brokers, (admin) => admin.describeGroup(group));
  return members.filter((member) => member.assignments.some((a) => a.partitions.length > 0)).length;
}

describe('several instances of every service', () => {
  it('share the work, and lose one of each under load without losing an order', async () => {
    const { url, brokers, kill, logs, pid, isRunning } = stack();
    const gateway = url('api-gateway');
    // Groups of per-order services: every instance holds partitions.
    for (const [group, count] of [
      ['order-saga', 2],
      ['payment-service', 3],
      ['notification-service', 2],
    ] as const) {
      await waitFor(async () => (await membersOf(brokers, group)) === count, {
        what: `all ${count} ${group} instances to hold partitions`,
      });
    }
    // The explorer shows the three payment members, one partition of orders.v1 each.
    const before = await waitFor(
      async () => {
        const held = holdings(await explorerGroup(gateway, 'payment-service'), topics.orders.name);
        return held.size === 3 && [...held.values()].every((p) => p.length === 1) && held;
      },
      { what: 'the explorer to show 3 payment members with a partition each', intervalMs: 500 },
    );
    const victimMember = memberIdOf(logs('payment-service#2'), 'payment-service');
    const victimPartitions = victimMember === undefined ? undefined : before.get(victimMember);
    expect(victimPartitions, `payment-service#2's member ${victimMember}`).toHaveLength(1);

    const inventory = await activeInventory(url);
    const victims: ProcessName[] = ['order-saga', inventory.active];
    const victimPid = pid('payment-service#2');
    if (victimPid === undefined) throw new Error('payment-service#2 does not run');

    const survivors: ProcessName[] = ['payment-service', 'payment-service#3'];
    const killedAt = new Map<ProcessName, number>();
    let killing: Promise<unknown> | undefined;
    const ids = await placeOrders(gateway, bodies(), 50, (placed) => {
      if (placed !== KILL_AFTER) return;
      for (const name of survivors) killedAt.set(name, logs(name).length);
      // A crash as `kill -9 <pid>` makes it, by the PID npm start prints.
      process.kill(victimPid, 'SIGKILL');
      killing = Promise.all([
        waitFor(() => !isRunning('payment-service#2'), { what: 'payment-service#2 to exit' }),
        ...victims.map((name) => kill(name)),
      ]);
    });
    await killing;

    // Its partitions go to the two survivors, which the explorer shows, with the member leaving.
    await waitFor(
      async () => {
        const group = await explorerGroup(gateway, 'payment-service');
        const held = holdings(group, topics.orders.name);
        const all = [...held.values()].flat().sort();
        return (
          held.size === 2 &&
          !held.has(victimMember ?? '') &&
          [...held.values()].every((p) => p.length > 0) &&
          all.join() === '0,1,2' &&
          group.rebalances.some((r) => r.left.includes(victimMember ?? ''))
        );
      },
      {
        what: "the explorer to show payment-service#2's partition moved",
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
    // A survivor logs the rebalance, holding the dead member's partition after it.
    const taken = survivors.flatMap((name) =>
      logs(name)
        .slice(killedAt.get(name))
        .flatMap((line) => (line.includes('group=payment-service ') ? heldIn(line) : [])),
    );
    expect(taken).toContain(victimPartitions?.[0]);

    // The survivors take over the dead members' partitions (after their sessions expire) and
    // the inventory standby takes the lease.
    await waitFor(
      async () => {
        const byOrder = outcomesByOrder(await readTopic(brokers, topics.outcomes.name));
        return ids.every((id) => byOrder.has(id));
      },
      { what: `an outcome for each of the ${ORDERS} orders`, timeoutMs: 180_000, intervalMs: 1000 },
    );
    await waitForQuiet(brokers, { timeoutMs: 120_000 });

    await expectOneOutcomeEach(brokers, ids);
    await expectStockConserved(brokers, url(inventory.standby), url('api-gateway'));

    // One email per order, whichever notification instance sent it; both sent some.
    const notifications: ProcessName[] = ['notification-service', 'notification-service#2'];
    const lines = notifications.map((name) => logs(name));
    const missing = ids.filter(
      (id) => lines.reduce((sum, instance) => sum + emailLines(instance, id).length, 0) !== 1,
    );
    expect(missing).toEqual([]);
    for (const instance of lines) {
      expect(instance.some((line) => line.includes('email sent'))).toBe(true);
    }
  }, 360_000);
});
