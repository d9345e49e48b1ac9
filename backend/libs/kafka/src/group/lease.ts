import { Consumer } from '@platformatic/kafka';
import type { Brokers } from '../brokers.js';
import { clientConnection } from '../connection/index.js';
import { describeError, KafkadogError } from '../errors.js';
import type { Logger } from '../logger.js';
import { backoffDelay, isAbortError, sleep } from '../retry/backoff.js';

export interface LeaseOptions {
  readonly brokers: Brokers;
  /** The lease's own consumer group, e.g. `inventory-service.lease`. */
  readonly groupId: string;
  readonly clientId: string;
  readonly logger: Logger;
  /** Called on every change, in order: true when this instance got the lease, false when lost. */
  readonly onChange: (held: boolean) => void;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
}

export interface Lease {
  readonly held: boolean;
  /**
   * Held, and the coordinator answered this member less than a session minus one heartbeat
   * interval ago, so it cannot have handed the lease to another member yet. `held` alone can
   * lag: a process that was frozen (a long GC pause, a suspended VM) still says `held` when it
   * wakes, until its watchdog runs; by then it may have handled records it fetched before.
   */
  readonly current: boolean;
  /** A member of the lease's group: holding it, or a standby ready to take it over. */
  readonly joined: boolean;
  /** Joins the lease's group in the background (trying again while Kafka is unreachable). */
  start(): void;
  /** Leaves the group, which hands the lease to another member at once. */
  close(): Promise<void>;
}

const defaults = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3_000 };
const joinBackoff = { baseMs: 500, factor: 2, maxMs: 10_000, jitter: 0.2 };

type Client = Consumer<Buffer, Buffer, Buffer, Buffer>;

/**
 * One holder at a time among the instances of a service, decided by Kafka: the holder is the
 * leader of a consumer group that subscribes to nothing. The group coordinator keeps its leader
 * across rebalances while it stays a member, and picks another member when it leaves or its
 * session expires (a crash: after `sessionTimeoutMs`).
 *
 * A member that has not heartbeated for a whole session has most likely been dropped by the
 * coordinator (Kafka was away, or this process stalled): it gives the lease up itself. After two
 * sessions without a heartbeat it leaves its client behind and joins again with a new one, as a
 * standby or, if no one else holds it, the holder. (The client may stop heartbeating after an
 * outage without saying so; a new client is the one sure way back.)
 *
 * The lease only says who should act. Work it guards must also wait for the previous holder's
 * work to stop (see runSingleActive in libs/service: it waits until the previous holder left
 * its groups).
 */
export function createLease(options: LeaseOptions): Lease {
  const { groupId, logger } = options;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? defaults.sessionTimeoutMs;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? defaults.heartbeatIntervalMs;
  const abort = new AbortController();
  let client: Client | undefined;
  let held = false;
  let joined = false;
  /** Whether the last join made this member the group's leader. */
  let leader = false;
  let lastHeartbeat = Date.now();
  let joining: Promise<void> | undefined;
  let watchdog: NodeJS.Timeout | undefined;

  function set(next: boolean, why: string): void {
    if (next === held) return;
    held = next;
    logger.info(next ? 'holds the lease' : 'gave up the lease', {
      group: groupId,
      member: client?.memberId,
      why,
    });
    options.onChange(next);
  }

  function newClient(): Client {
    const created: Client = new Consumer({
      clientId: options.clientId,
      groupId,
      ...clientConnection(options.brokers),
      autocommit: false,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
    });
    created.on('consumer:group:join', (payload) => {
      if (created !== client) return;
      lastHeartbeat = Date.now();
      const leads = payload.isLeader === true;
      if (!joined && !leads) {
        logger.info('standing by: another member holds the lease', {
          group: groupId,
          member: created.memberId,
        });
      }
      joined = true;
      leader = leads;
      set(leads, leads ? 'group leader' : 'another member leads');
    });
    created.on('consumer:heartbeat:end', () => {
      if (created !== client) return;
      lastHeartbeat = Date.now();
      // A heartbeat answered: still a member of the same generation, so still its leader if
      // it was (the lease was given up while the heartbeats were failing).
      if (joined) set(leader, 'heartbeats answered again');
    });
    // A rejoin failed: the membership is gone. Unhandled, an 'error' event kills the process.
    created.on('error', (error: Error) => {
      if (created !== client) return;
      rejoin(`lost the group membership: ${describeError(error)}`);
    });
    return created;
  }

  /** Leaves the current client behind (if any) and joins with a new one, until it works. */
  function rejoin(why?: string): void {
    if (abort.signal.aborted || joining) return;
    if (why) {
      joined = false;
      leader = false;
      set(false, why);
      logger.warn('lease group membership lost; joining again', { group: groupId, why });
    }
    joining = join().finally(() => {
      joining = undefined;
    });
  }

  async function join(): Promise<void> {
    const previous = client;
    client = undefined;
    await previous?.close(true).catch(() => {});
    for (let attempt = 1; !abort.signal.aborted; attempt++) {
      const candidate = newClient();
      client = candidate;
      try {
        await candidate.joinGroup({});
        lastHeartbeat = Date.now();
        return;
      } catch (error) {
        client = undefined;
        await candidate.close(true).catch(() => {});
        if (abort.signal.aborted) return;
        const delayMs = backoffDelay(Math.min(attempt, 10), joinBackoff);
        logger.warn('could not join the lease group; trying again', {
          group: groupId,
          attempt,
          nextInMs: delayMs,
          error: describeError(error),
        });
        try {
          await sleep(delayMs, abort.signal);
        } catch (sleepError) {
          if (isAbortError(sleepError)) return;
          throw sleepError;
        }
      }
    }
  }

  return {
    get held() {
      return held;
    },
    get current() {
      return held && Date.now() - lastHeartbeat < sessionTimeoutMs - heartbeatIntervalMs;
    },
    get joined() {
      return joined;
    },
    start() {
      if (abort.signal.aborted) throw new KafkadogError('CLOSED', `lease ${groupId} is closed`);
      rejoin();
      watchdog = setInterval(() => {
        if (joining) return;
        const silentMs = Date.now() - lastHeartbeat;
        // Dropped by the coordinator by now, unless a rebalance is holding the heartbeats up:
        // stop acting as the holder either way (another member may lead already)...
        if (silentMs >= sessionTimeoutMs) set(false, `no heartbeat for ${silentMs} ms`);
        // ...and once that is longer than any rebalance takes, join again with a new client.
        if (silentMs >= 2 * sessionTimeoutMs) rejoin(`no heartbeat for ${silentMs} ms`);
      }, heartbeatIntervalMs);
    },
    async close() {
      abort.abort(new KafkadogError('CLOSING', `lease ${groupId} is closing`));
      clearInterval(watchdog);
      await joining;
      joined = false;
      set(false, 'closing');
      await client?.close().catch((error: unknown) => {
        logger.warn('could not leave the lease group', {
          group: groupId,
          error: describeError(error),
        });
      });
    },
  };
}
