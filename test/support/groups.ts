import { createAdmin, silentLogger, type KafkaAdmin, type PartitionOffsets } from '@kafkadog/kafka';
import { waitFor, type WaitOptions } from '../../scripts/lib/wait.js';

export async function withAdmin<T>(
  brokers: string[],
  use: (admin: KafkaAdmin) => Promise<T>,
): Promise<T> {
  const admin = createAdmin({ brokers, clientId: 'kafkadog-system-test', logger: silentLogger });
  try {
    return await use(admin);
  } finally {
    await admin.close();
  }
}

/** Every consumer group with its committed offsets, log ends and lags. */
export async function groupLags(brokers: string[]): Promise<Map<string, PartitionOffsets[]>> {
  return withAdmin(brokers, async (admin) => {
    const lags = new Map<string, PartitionOffsets[]>();
    for (const group of await admin.listGroups())
      lags.set(group.id, await admin.groupOffsets(group.id));
    return lags;
  });
}

/**
 * Waits until every consumer group has consumed everything on its topics, twice in a row with
 * the same log ends (one group's output is another's input: a single look can catch the second
 * group before the first one's output arrived).
 */
export async function waitForQuiet(brokers: string[], options: WaitOptions = {}): Promise<void> {
  let previous = '';
  let lastLagging = '';
  await waitFor(
    async () => {
      const lags = await groupLags(brokers);
      const lagging = [...lags].flatMap(([group, rows]) =>
        rows
          .filter((row) => row.lag !== 0)
          .map((row) => `${group} ${row.topic}[${row.partition}] lag ${row.lag}`),
      );
      lastLagging = lagging.join('; ');
      if (lagging.length > 0) {
        previous = '';
        return false;
      }
      const ends = JSON.stringify(
        [...lags].map(([group, rows]) => [group, rows.map((r) => r.logEnd)]),
      );
      const quiet = ends === previous;
      previous = ends;
      return quiet;
    },
    {
      timeoutMs: 60_000,
      intervalMs: 300,
      ...options,
      what: `every consumer group to catch up (${lastLagging})`,
    },
  );
}
