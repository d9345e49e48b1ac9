import type { GroupResetTarget } from '@kafkadog/kafka';
import { z } from 'zod';

const Offset = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d{1,19}$/, 'a non-negative integer, as a number or a string'),
]);

/** Where to move the group, as the explorer's reset form sends it. */
export const ResetTo = z.union([
  z.enum(['earliest', 'latest']),
  z.strictObject({
    timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]),
  }),
  z.strictObject({ offset: Offset }),
  z.strictObject({ shiftBy: z.number().int() }),
]);
export type ResetTo = z.infer<typeof ResetTo>;

export const ResetRequest = z.strictObject({
  to: ResetTo,
  /** Default: the topics the group has committed offsets on. */
  topics: z
    .array(z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a topic name'))
    .min(1)
    .optional(),
  dryRun: z.boolean(),
  /** Pause the group's consumers around the reset (they leave the group, then come back). */
  pause: z.boolean().optional(),
});
export type ResetRequest = z.infer<typeof ResetRequest>;

/** The request's target in the admin's terms: bigint offsets, epoch-ms timestamps. */
export function resetTarget(to: ResetTo): GroupResetTarget {
  if (typeof to === 'string') return to;
  if ('timestamp' in to) {
    return {
      timestamp: typeof to.timestamp === 'number' ? to.timestamp : Date.parse(to.timestamp),
    };
  }
  if ('offset' in to) return { offset: BigInt(to.offset) };
  return { shiftBy: BigInt(to.shiftBy) };
}

/** Anything else than Kafka's legal characters for names is quoted for a POSIX shell. */
function shellWord(word: string): string {
  return /^[a-zA-Z0-9._:,=/-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function targetOption(to: GroupResetTarget): string[] {
  if (to === 'earliest') return ['--to-earliest'];
  if (to === 'latest') return ['--to-latest'];
  if ('timestamp' in to) {
    const ms = to.timestamp instanceof Date ? to.timestamp.getTime() : to.timestamp;
    // The tool reads yyyy-MM-ddTHH:mm:ss.SSS with an optional zone; Z is UTC.
    return ['--to-datetime', new Date(ms).toISOString()];
  }
  if ('offset' in to) return ['--to-offset', to.offset.toString()];
  return ['--shift-by', to.shiftBy.toString()];
}

export interface ResetCommandInput {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly to: GroupResetTarget;
  readonly execute: boolean;
}

/** The same reset with Kafka's own tool, for the learner to read or run. */
export function resetCommand(input: ResetCommandInput): string {
  return [
    'kafka-consumer-groups.sh',
    '--bootstrap-server',
    input.brokers.join(','),
    '--group',
    input.groupId,
    '--reset-offsets',
    ...targetOption(input.to),
    ...input.topics.flatMap((topic) => ['--topic', topic]),
    input.execute ? '--execute' : '--dry-run',
  ]
    .map(shellWord)
    .join(' ');
}
