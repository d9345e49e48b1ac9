import { topics } from '@kafkadog/contracts';
import type { KafkaAdmin } from '@kafkadog/kafka';
import type { Logger } from '../lib/log.js';
import type { Stack } from '../lib/stack.js';

/** The service whose replay the bench times: it reads every outcome, and suppresses them all. */
const SERVICE = 'notification-service';
const GROUP = 'notification-service';
const INPUT = topics.outcomes.name;

export interface ReplayResult {
  readonly group: string;
  /** Records between the group's new (earliest) offsets and the log end. */
  readonly records: number;
  /**
   * From the moment the service's consumer holds its partitions (the group is Stable with a
   * member) until its lag was back to 0: the reading itself, without the process's start.
   */
  readonly seconds: number;
  readonly recordsPerSec: number;
  /** Including the service's start (loading its state, joining the group). */
  readonly secondsWithStart: number;
}

/**
 * A replay, as `npm run replay` would do it by hand: stop the service, reset its group to the
 * earliest offsets, start it again, and time until it has read everything again. Nothing is sent
 * twice: every outcome is suppressed by the ids in the service's state.
 */
export async function measureReplay(
  stack: Stack,
  admin: KafkaAdmin,
  log: Logger,
  perPartitionAtRest: number,
): Promise<ReplayResult> {
  log.info(`Replay: ${GROUP} from the earliest offsets of ${INPUT}…`);
  await stack.stopService(SERVICE);
  const moved = await admin.resetGroupOffsets(GROUP, [INPUT], 'earliest');
  const ends = await admin.groupOffsets(GROUP, [INPUT]);
  const records = ends.reduce(
    (sum, row) =>
      sum +
      Number(row.logEnd) -
      Number(moved.find((m) => m.partition === row.partition)?.offset ?? 0),
    0,
  );
  const started = Date.now();
  // Watched from the start: the service may read much of it before it reports healthy.
  let firstProgress: number | undefined;
  let done: number | undefined;
  const watching = (async () => {
    for (;;) {
      const rows = await admin.groupOffsets(GROUP, [INPUT]);
      // Not its first commit: offsets are committed at most every 250 ms, and the first only
      // once a batch gives way to the event loop.
      if (firstProgress === undefined) {
        const group = await admin.describeGroup(GROUP);
        if (group.state === 'Stable' && group.members.length > 0) firstProgress = Date.now();
      }
      if (rows.every((row) => (row.lag ?? Number.POSITIVE_INFINITY) <= perPartitionAtRest)) {
        done = Date.now();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await stack.start(SERVICE);
  await watching;
  const end = done ?? Date.now();
  // From holding its partitions to its lag at 0: the reading, without the process's start.
  const seconds = (end - (firstProgress ?? started)) / 1000;
  const result = {
    group: GROUP,
    records,
    seconds,
    recordsPerSec: Math.round(records / Math.max(seconds, 0.001)),
    secondsWithStart: (end - started) / 1000,
  };
  log.info(
    `  replayed ${records} records in ${seconds.toFixed(1)} s (${(result.secondsWithStart - seconds).toFixed(1)} s more to start): ${result.recordsPerSec} records/s`,
  );
  return result;
}
