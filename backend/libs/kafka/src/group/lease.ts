import { Consumer } from '@platformatic/kafka';
import { parseBrokers, type Brokers } from '../brokers.js';
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
  /** A member of the lease's group: holding it, or a standby ready to take it over. */
  readonly joined: boolean;
  /** Joins the lease's group in the background (trying again while Kafka is unreachable). */
  start(): void;
  /** Leaves the group, which hands the lease to another member at once. */
  close(): Promise<void>;
}

const defaults = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3_000 };
const joinBackoff = { baseMs: 500, factor: 2, maxMs: 10_000, jitter: 0.2 };

/**
 * One holder at a time among the instances of a service, decided by Kafka: the holder is the
 * leader of a consumer group that subscribes to nothing. The group coordinator keeps its leader
 * across rebalances while it stays a member, and picks another member when it leaves or its
 * session expires (a crash: after `sessionTimeoutMs`). A holder that cannot heartbeat for a whole
 * session gives the lease up itself, since the coordinator has dropped it by then.
 *
 * The lease only says who should act. Work it guards must also wait for the previous holder's
 * work to stop (see inventory-service: it waits until the previous holder left its groups).
 */
export function createLease(options: LeaseOptions): Lease {
  const { groupId, logger } = options;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? defaults.sessionTimeoutMs;
  const client = new Consumer({
    clientId: options.clientId,
    groupId,
    bootstrapBrokers: parseBrokers(options.brokers),
    autocommit: false,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs ?? defaults.heartbeatIntervalMs,
  });
  const abort = new AbortController();
  let held = false;
  let joined = false;
  let lastHeartbeat = Date.now();
  let joining: Promise<void> | undefined;

  function set(next: boolean, why: string): void {
    if (next === held) return;
    held = next;
    logger.info(next ? 'holds the lease' : 'gave up the lease', {
      group: groupId,
      member: client.memberId,
      why,
    });
    options.onChange(next);
  }

  async function join(): Promise<void> {
    for (let attempt = 1; !abort.signal.aborted; attempt++) {
      try {
        await client.joinGroup({});
        return;
      } catch (error) {
        if (abort.signal.aborted) return;
        const delayMs = backoffDelay(attempt, joinBackoff);
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

  function rejoin(): void {
    joining ??= join().finally(() => {
      joining = undefined;
    });
  }

  client.on('consumer:group:join', (payload) => {
    lastHeartbeat = Date.now();
    const leads = payload.isLeader === true;
    if (!joined && !leads) {
      logger.info('standing by: another member holds the lease', {
        group: groupId,
        member: client.memberId,
      });
    }
    joined = true;
    set(leads, leads ? 'group leader' : 'another member leads');
  });
  client.on('consumer:heartbeat:end', () => {
    lastHeartbeat = Date.now();
  });
  client.on('consumer:heartbeat:error', () => {
    if (Date.now() - lastHeartbeat >= sessionTimeoutMs) {
      set(false, `no heartbeat for ${sessionTimeoutMs} ms`);
    }
  });
  // A rejoin failed: the membership is gone. Unhandled, an 'error' event kills the process.
  client.on('error', (error: Error) => {
    joined = false;
    set(false, 'lost the group membership');
    if (abort.signal.aborted) return;
    logger.warn('lease group membership lost; joining again', {
      group: groupId,
      error: describeError(error),
    });
    rejoin();
  });

  return {
    get held() {
      return held;
    },
    get joined() {
      return joined;
    },
    start() {
      if (abort.signal.aborted) throw new KafkadogError('CLOSED', `lease ${groupId} is closed`);
      rejoin();
    },
    async close() {
      abort.abort(new KafkadogError('CLOSING', `lease ${groupId} is closing`));
      await joining;
      joined = false;
      set(false, 'closing');
      await client.close().catch((error: unknown) => {
        logger.warn('could not leave the lease group', {
          group: groupId,
          error: describeError(error),
        });
      });
    },
  };
}
