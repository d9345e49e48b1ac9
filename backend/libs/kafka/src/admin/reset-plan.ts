import { KafkadogError } from '../errors.js';

/**
 * Where to move a group on every partition of the chosen topics, as `kafka-consumer-groups.sh
 * --reset-offsets` takes it: `--to-earliest`, `--to-latest`, `--to-datetime`, `--to-offset`,
 * `--shift-by`.
 */
export type GroupResetTarget =
  | 'earliest'
  | 'latest'
  | { readonly timestamp: number | Date }
  | { readonly offset: bigint }
  | { readonly shiftBy: bigint };

/** What is known of one partition when a reset is planned. */
export interface PartitionWatermarks {
  readonly topic: string;
  readonly partition: number;
  /** The first offset still in the log (log start). */
  readonly low: bigint;
  /** The offset the next record will get (log end). */
  readonly high: bigint;
  /** The group's committed offset; null when it never committed on this partition. */
  readonly committed: bigint | null;
  /** For a timestamp target: the first offset at or after it; null when no record is. */
  readonly atTimestamp?: bigint | null;
}

export interface ResetPlanRow {
  readonly topic: string;
  readonly partition: number;
  readonly before: bigint | null;
  readonly after: bigint;
}

/** An offset moved into the log, as the tool does for `--to-offset` and `--shift-by`. */
export function clampOffset(offset: bigint, low: bigint, high: bigint): bigint {
  if (offset < low) return low;
  if (offset > high) return high;
  return offset;
}

/**
 * Each partition's offset after the reset, computed as kafka-consumer-groups.sh computes it:
 * a timestamp with no record at or after it moves to the log end; an offset or a shift lands
 * inside [low, high]; a shift needs a committed offset to shift from.
 */
export function planReset(
  partitions: readonly PartitionWatermarks[],
  target: GroupResetTarget,
): ResetPlanRow[] {
  return partitions.map((watermarks) => {
    const { topic, partition, committed } = watermarks;
    return { topic, partition, before: committed, after: targetOffset(watermarks, target) };
  });
}

function targetOffset(watermarks: PartitionWatermarks, target: GroupResetTarget): bigint {
  const { topic, partition, low, high, committed } = watermarks;
  if (target === 'earliest') return low;
  if (target === 'latest') return high;
  if ('timestamp' in target) return watermarks.atTimestamp ?? high;
  if ('offset' in target) return clampOffset(target.offset, low, high);
  if (committed === null) {
    throw new KafkadogError(
      'INVALID_RESET',
      `cannot shift ${topic}[${partition}]: the group has no committed offset there to shift from`,
    );
  }
  return clampOffset(committed + target.shiftBy, low, high);
}
