import { parseEvent, topics } from '@kafkadog/contracts';
import {
  createAdmin,
  tailTopics,
  type Brokers,
  type Logger,
  type ReadRecord,
} from '@kafkadog/kafka';

export interface PauseChange {
  readonly groupId: string;
  readonly paused: boolean;
}

export interface PauseFold {
  /** The groups paused after the record. */
  readonly paused: ReadonlySet<string>;
  /** Set when the record changed a group's state. */
  readonly change?: PauseChange;
  /** Set when the record was not a valid GroupPauseSet (it then changes nothing). */
  readonly ignored?: string;
}

/**
 * Folds one record of api-gateway.control.v1 into the set of paused groups. A tombstone (the
 * record that compaction keeps when a key is deleted) resumes its group; a record repeating the
 * current state changes nothing.
 */
export function foldPauseRecord(
  paused: ReadonlySet<string>,
  record: Pick<ReadRecord, 'key' | 'value'>,
): PauseFold {
  let groupId: string;
  let pause: boolean;
  if (record.value === undefined) {
    if (record.key === undefined) return { paused, ignored: 'a tombstone without a key' };
    groupId = record.key;
    pause = false;
  } else {
    const parsed = parseEvent(record.value, topics.control);
    if (!parsed.ok) return { paused, ignored: parsed.error };
    if (parsed.event.type !== 'GroupPauseSet') {
      return { paused, ignored: `unexpected ${parsed.event.type}` };
    }
    ({ groupId, paused: pause } = parsed.event.data);
  }
  if (paused.has(groupId) === pause) return { paused };
  const next = new Set(paused);
  if (pause) next.add(groupId);
  else next.delete(groupId);
  return { paused: next, change: { groupId, paused: pause } };
}

export interface GroupPauseFollower {
  /** Resolves once every pause written before the follower started has been read. */
  readonly caughtUp: Promise<void>;
  isPaused(groupId: string): boolean;
  close(): Promise<void>;
}

export interface GroupPauseFollowerOptions {
  readonly brokers: Brokers;
  readonly logger: Logger;
  readonly clientId: string;
  /** Called for every change read, including those read while catching up. */
  onChange?(change: PauseChange): void;
}

/**
 * Follows api-gateway.control.v1 from its first record, without a consumer group: the pauses set
 * from the explorer, latest value per group. Creates the topic if it does not exist yet, so that
 * a service can start before the gateway ever ran.
 */
export async function followGroupPauses(
  options: GroupPauseFollowerOptions,
): Promise<GroupPauseFollower> {
  const { brokers, logger, clientId } = options;
  const admin = createAdmin({ brokers, clientId: `${clientId}-admin`, logger });
  await admin.ensureTopics([topics.control]).finally(() => admin.close());
  let paused: ReadonlySet<string> = new Set();
  const tail = await tailTopics({
    brokers,
    topics: [topics.control.name],
    from: 'earliest',
    clientId,
    logger,
    onRecord: (record) => {
      const folded = foldPauseRecord(paused, record);
      paused = folded.paused;
      if (folded.ignored) {
        logger.warn('invalid group pause ignored', {
          offset: record.offset,
          error: folded.ignored,
        });
      }
      if (folded.change) options.onChange?.(folded.change);
    },
  });
  return {
    caughtUp: tail.caughtUp,
    isPaused: (groupId) => paused.has(groupId),
    close: () => tail.close(),
  };
}
