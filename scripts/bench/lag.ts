import type { KafkaAdmin } from '@kafkadog/kafka';

/** Every service group's lag at one moment: committed offsets vs log end offsets. */
export interface LagSample {
  /** Epoch ms. */
  readonly at: number;
  /** Records written but not yet committed, summed over every group and partition. */
  readonly total: number;
  readonly byGroup: Readonly<Record<string, number>>;
}

/**
 * How long after `loadEndedAt` every group's lag first read 0: null if it never did in the
 * samples. A sample taken at the end already drained counts as 0 ms.
 */
export function lagDrainMs(samples: readonly LagSample[], loadEndedAt: number): number | null {
  const drained = samples.find((sample) => sample.at >= loadEndedAt && sample.total === 0);
  return drained === undefined ? null : drained.at - loadEndedAt;
}

/** The highest total lag between `from` and `to`. */
export function peakLag(samples: readonly LagSample[], from: number, to: number): number {
  return samples
    .filter((sample) => sample.at >= from && sample.at <= to)
    .reduce((max, sample) => Math.max(max, sample.total), 0);
}

/**
 * One sample with the project's admin: every group but those starting with `exclude`.
 * `perPartitionAtRest`: offsets a partition shows as lag once fully read. 0, except in
 * exactly-once mode: there a transaction's commit marker takes the offset after its records, so a
 * partition last written in a transaction reads lag 1 at rest, as `kafka-consumer-groups.sh` shows.
 */
export async function sampleLag(
  admin: KafkaAdmin,
  exclude: string,
  perPartitionAtRest = 0,
): Promise<LagSample> {
  const at = Date.now();
  const groups = (await admin.listGroups()).filter((group) => !group.id.startsWith(exclude));
  const byGroup: Record<string, number> = {};
  await Promise.all(
    groups.map(async (group) => {
      const rows = await admin.groupOffsets(group.id);
      byGroup[group.id] = rows.reduce(
        (sum, row) => sum + Math.max(0, (row.lag ?? 0) - perPartitionAtRest),
        0,
      );
    }),
  );
  const total = Object.values(byGroup).reduce((sum, lag) => sum + lag, 0);
  return { at, total, byGroup };
}

/** Samples every `intervalMs` until stopped; a failed sample is skipped, not fatal. */
export function startLagSampler(
  admin: KafkaAdmin,
  exclude: string,
  perPartitionAtRest = 0,
  intervalMs = 1000,
): {
  readonly samples: readonly LagSample[];
  latest(): LagSample | undefined;
  stop(): Promise<void>;
} {
  const samples: LagSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      try {
        samples.push(await sampleLag(admin, exclude, perPartitionAtRest));
      } catch {
        // The next second tries again; a gap in the series is visible in the chart.
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - started))),
      );
    }
  })();
  return {
    samples,
    latest: () => samples.at(-1),
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
