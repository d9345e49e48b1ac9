import { createLease, describeError, KafkadogError, sleep, type Lease } from '@kafkadog/kafka';
import type { CheckStatus } from '../http/health-registry.js';
import type { KafkaClients } from '../kafka/kafka-clients.js';
import { startInBackground, type BackgroundStart } from './background-start.js';

export type ActiveRole = 'active' | 'standby' | 'joining';

export interface SingleActiveOptions {
  /** The service, e.g. `inventory-service`: the lease is the group `<name>.lease`. */
  readonly name: string;
  /** What runs while active, for the logs, e.g. `inventory processing`. */
  readonly what: string;
  /**
   * Consumer groups the active instance's work joins. A new holder starts only once the previous
   * one has left them: its last effects are in Kafka by then.
   */
  readonly handoverGroups: readonly string[];
  /**
   * Starts the work (tried again with backoff on a retriable failure, like startInBackground).
   * `fence` throws unless this instance surely still holds the lease: give it to every consumer
   * of the work (EventConsumerOptions.fence), so that no record is handled on a lease that may
   * have moved on while the process was frozen.
   */
  start(signal: AbortSignal, fence: () => void): Promise<void>;
  /** Stops the work: finishes what is in progress and leaves the groups. */
  stop(): Promise<void>;
}

export interface SingleActive {
  readonly role: ActiveRole;
  /** For /health: a standby is up (ready to take over), the active one once its start is done. */
  readonly status: CheckStatus;
  /** Stops the work if active, then leaves the lease to a standby. */
  close(): Promise<void>;
}

const HANDOVER_POLL_MS = 500;

/**
 * Runs work that must run in one instance at a time, whatever the number of instances: a global
 * view that decides (inventory's stock) or aggregates (analytics' windows). The instance holding
 * the lease (see createLease) runs it; the others stand by and take over when it stops or dies.
 */
export function runSingleActive(kafka: KafkaClients, options: SingleActiveOptions): SingleActive {
  const { logger } = kafka;
  let starting: BackgroundStart | undefined;
  // Lease changes are acted on one at a time, in order.
  let handover: Promise<void> = Promise.resolve();

  const lease: Lease = createLease({
    brokers: kafka.brokers,
    groupId: `${options.name}.lease`,
    clientId: `${options.name}.lease`,
    logger,
    onChange: (held) => {
      handover = handover
        .then(() => (held ? activate() : deactivate()))
        // Logged and done with: the chain must go on for the next change of the lease.
        .catch((error: unknown) => {
          logger.error(`could not ${held ? 'start' : 'stop'} ${options.what}`, {
            error: describeError(error),
          });
        });
    },
  });

  function activate(): void {
    logger.info(`active: this instance runs ${options.what}`);
    starting = startInBackground(
      options.what,
      async (signal) => {
        await waitForPreviousHolder(signal);
        await options.start(signal, fence);
      },
      logger,
    );
  }

  async function deactivate(): Promise<void> {
    if (!starting) return;
    await starting.stop();
    starting = undefined;
    await options.stop();
    logger.info(`standby: stopped ${options.what}`);
  }

  function fence(): void {
    if (lease.current) return;
    throw new KafkadogError(
      'NOT_LEASE_HOLDER',
      `not sure to hold ${options.name}.lease any more (no recent answer from its coordinator); ` +
        `${options.what} waits`,
    );
  }

  /**
   * The lease moved here, but the previous holder may still be finishing (it stops when it
   * learns of the move) or may have died inside its groups (Kafka drops it after its session
   * timeout). Wait until it has left them.
   */
  async function waitForPreviousHolder(signal: AbortSignal): Promise<void> {
    let logged = false;
    for (;;) {
      const described = await Promise.all(
        options.handoverGroups.map((group) => kafka.admin.describeGroup(group)),
      );
      const busy = described.filter((group) => group.members.length > 0);
      if (busy.length === 0) return;
      if (!logged) {
        logged = true;
        logger.info('waiting for the previous instance to leave its groups', {
          groups: busy.map((group) => `${group.id}(${group.members.length})`).join(','),
        });
      }
      await sleep(HANDOVER_POLL_MS, signal);
    }
  }

  lease.start();

  return {
    get role(): ActiveRole {
      if (lease.held) return 'active';
      return lease.joined ? 'standby' : 'joining';
    },
    get status(): CheckStatus {
      if (lease.held) return starting?.status ?? 'starting';
      return lease.joined ? 'up' : 'starting';
    },
    async close() {
      await deactivate();
      await lease.close();
      await handover;
    },
  };
}
