import {
  describeError,
  isRetriable,
  KafkadogError,
  retry,
  type Brokers,
  type Logger,
} from '@kafkadog/kafka';
import { abortable } from '../processing/background-start.js';
import { followGroupPauses, type GroupPauseFollower } from './group-pauses.js';

export interface PausableConsumersOptions {
  /** The consumer groups `open` joins. A pause of any of them closes them all. */
  readonly groups: readonly string[];
  /** What the consumers do, for the logs, e.g. `payment-service consumers`. */
  readonly what: string;
  /** Creates the consumers and joins their groups. */
  open(): Promise<void>;
  /** Finishes the records in progress, commits them, and leaves the groups. */
  close(): Promise<void>;
}

export interface PausableConsumers {
  /**
   * Reads the pauses to their end, then opens the consumers unless one of their groups is paused:
   * a service started while its group is paused stays paused.
   */
  start(signal?: AbortSignal): Promise<void>;
  /** Closes the consumers (if open) and stops following the pauses. */
  close(): Promise<void>;
  /** True while the consumers are closed because one of their groups is paused. */
  readonly paused: boolean;
}

/**
 * Consumers that close while their group is paused from the explorer and open again when it is
 * resumed. Closing (not pausing the fetches) is the point: only a consumer that leaves the group
 * lets Kafka move the group's offsets, and the consumers opened on resume read from the committed
 * offsets, i.e. the reset ones. Every instance follows the same compacted topic, so all of them
 * pause, whatever their number, and one started later reads the pause before it joins.
 */
export function createPausableConsumers(
  clients: { readonly brokers: Brokers; readonly logger: Logger },
  options: PausableConsumersOptions,
): PausableConsumers {
  const { logger } = clients;
  const groups = options.groups.join(',');
  const abort = new AbortController();
  let follower: GroupPauseFollower | undefined;
  let open = false;
  let started = false;
  // Pauses and resumes are acted on one at a time, in order.
  let changing: Promise<void> = Promise.resolve();

  const wanted = () => !options.groups.some((group) => follower?.isPaused(group));

  function reconcile(): void {
    changing = changing.then(step).catch((error: unknown) => {
      if (abort.signal.aborted) return;
      logger.error(`could not ${open ? 'pause' : 'resume'} ${options.what}`, {
        groups,
        error: describeError(error),
      });
    });
  }

  async function step(): Promise<void> {
    if (!started || abort.signal.aborted) return;
    if (wanted() && !open) {
      await retry(() => options.open(), {
        shouldRetry: (error) => isRetriable(error),
        signal: abort.signal,
        backoff: { baseMs: 500, factor: 2, maxMs: 10_000, jitter: 0.2 },
      });
      open = true;
      logger.info(`resumed: ${options.what} joined ${groups} again, from the committed offsets`);
    } else if (!wanted() && open) {
      open = false;
      await options.close();
      logger.info(`paused: ${options.what} left ${groups}; no member of this instance remains`);
    }
  }

  return {
    async start(signal) {
      if (follower) throw new KafkadogError('ALREADY_STARTED', `${options.what} already started`);
      try {
        follower = await followGroupPauses({
          brokers: clients.brokers,
          logger,
          clientId: `${options.groups[0] ?? 'kafkadog'}.control`,
          onChange: () => reconcile(),
        });
        await (signal ? abortable(follower.caughtUp, signal) : follower.caughtUp);
        if (wanted()) {
          await options.open();
          open = true;
        } else {
          logger.info(`paused: ${options.what} stay out of ${groups} until resumed`);
        }
      } catch (error) {
        await follower?.close();
        follower = undefined;
        throw error;
      }
      started = true;
      // A change read between the catch-up and now.
      reconcile();
    },

    async close() {
      abort.abort();
      await changing;
      if (open) await options.close();
      open = false;
      await follower?.close();
    },

    get paused() {
      return started && !open && !wanted();
    },
  };
}
