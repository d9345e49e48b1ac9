// `npm run seed` and `npm run replay` against a running stack: 200 demo orders reach their
// outcomes; replaying order-saga, then every group, from the earliest offsets writes no new
// outcome, counts one suppressed duplicate per replayed record, and leaves every group at the
// end of its topics.
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { waitForQuiet, withAdmin } from '../support/groups.js';
import { counter, fetchMetrics } from '../support/metrics.js';
import { runScript } from '../support/scripts.js';
import { useStack } from '../support/system.js';
import { countByOrder, readTopic } from '../support/topics.js';
import { countRecords, silentLogger, type PartitionOffsets } from '@kafkadog/kafka';

const ORDERS = 200;
const stack = useStack();
const GROUPS = [
  'analytics-service',
  'inventory-service',
  'notification-service',
  'order-saga',
  'payment-service',
] as const;
const FLOW = [topics.orders, topics.payments, topics.inventory, topics.outcomes].map((t) => t.name);

async function offsetsOf(brokers: string[], group: string): Promise<PartitionOffsets[]> {
  return withAdmin(brokers, async (admin) =>
    (await admin.groupOffsets(group)).filter((row) => row.committed !== null),
  );
}

/**
 * Records from the start of each partition (nothing is deleted here) to the group's offset. Not
 * the offsets themselves: in exactly-once mode each transaction's commit marker takes an offset.
 */
const consumed = (brokers: string[], rows: readonly PartitionOffsets[]) =>
  countRecords({
    brokers,
    ranges: rows.map((row) => ({ ...row, from: 0n, to: BigInt(row.committed ?? 0) })),
    logger: silentLogger,
  });

async function duplicates(group: string): Promise<number> {
  const service = group as (typeof GROUPS)[number];
  return counter(await fetchMetrics(stack().url(service)), 'kafkadog_duplicates_suppressed_total', {
    group,
  });
}

async function logEnds(brokers: string[]): Promise<Record<string, string>> {
  const rows = await withAdmin(brokers, (admin) => admin.groupOffsets('test.log-ends', FLOW));
  return Object.fromEntries(rows.map((row) => [`${row.topic}[${row.partition}]`, row.logEnd]));
}

async function expectAtEnd(brokers: string[], group: string): Promise<void> {
  const rows = await offsetsOf(brokers, group);
  expect(rows.length, group).toBeGreaterThan(0);
  expect(
    rows.filter((row) => row.committed !== row.logEnd),
    `${group} at the end of its topics`,
  ).toEqual([]);
}

describe('npm run seed, then npm run replay', () => {
  it('seeds 200 orders to their outcomes; replaying order-saga, then every group, changes nothing', async () => {
    const { brokers, url } = stack();
    const env = { KAFKADOG_GATEWAY_URL: url('api-gateway') };

    const seed = await runScript('seed', ['--orders', String(ORDERS)], { env });
    expect(seed.code, seed.output).toBe(0);
    expect(seed.output).toMatch(/160 {2}completed/);
    const outcomes = countByOrder(await readTopic(brokers, topics.outcomes.name));
    expect(outcomes.size).toBe(ORDERS);
    expect([...outcomes.values()].every((count) => count === 1)).toBe(true);
    await waitForQuiet(brokers);

    // One group.
    const ends = await logEnds(brokers);
    const sagaRecords = await consumed(brokers, await offsetsOf(brokers, 'order-saga'));
    const sagaBefore = await duplicates('order-saga');
    const one = await runScript('replay', ['--group', 'order-saga', '--to', 'earliest'], { env });
    expect(one.code, one.output).toBe(0);
    expect(await duplicates('order-saga')).toBe(sagaBefore + sagaRecords);
    expect(one.output).toContain(
      `${sagaRecords} record(s) replayed, ${sagaRecords} duplicate(s) suppressed, 0 new outcome(s)`,
    );
    expect(one.output).toContain(
      `kafka-consumer-groups.sh --bootstrap-server ${brokers.join(',')} --group order-saga --reset-offsets --to-earliest`,
    );
    await expectAtEnd(brokers, 'order-saga');
    expect(await logEnds(brokers)).toEqual(ends);

    // Every group.
    const records = new Map<string, number>();
    const before = new Map<string, number>();
    for (const group of GROUPS) {
      records.set(group, await consumed(brokers, await offsetsOf(brokers, group)));
      before.set(group, await duplicates(group));
    }
    const all = await runScript('replay', ['--all', '--to', 'earliest'], { env });
    expect(all.code, all.output).toBe(0);
    for (const group of GROUPS) {
      const replayed = records.get(group) ?? 0;
      expect(replayed, group).toBeGreaterThanOrEqual(ORDERS);
      expect(await duplicates(group), group).toBe((before.get(group) ?? 0) + replayed);
      expect(all.output).toContain(`${group}: replayed ${replayed} record(s)`);
      await expectAtEnd(brokers, group);
    }
    expect(all.output).toMatch(
      /Replay of 5 group\(s\): \d+ record\(s\) replayed, \d+ duplicate\(s\) suppressed, 0 new outcome\(s\)/,
    );
    expect(await logEnds(brokers)).toEqual(ends);
    expect(countByOrder(await readTopic(brokers, topics.outcomes.name))).toEqual(outcomes);
  });
});
