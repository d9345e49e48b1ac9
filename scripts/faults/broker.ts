import { createAdmin, silentLogger } from '@kafkadog/kafka';
import { formatDuration } from '../lib/log.js';
import type { Stack } from '../lib/stack.js';
import { chooseBroker, clusterRoles, partitionHealth } from './cluster.js';
import { FAULTS_PREFIX, type FaultContext } from './run.js';

export interface BrokerKillOptions {
  readonly stack: Stack;
  /** When to kill, after the load began. */
  readonly atMs: number;
  /** When to start the node again; it stays down to the end when unset. */
  readonly restartAtMs?: number;
}

const POLL_MS = 250;
const WATCH_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The services' consumer groups, as the cluster lists them (not the run's own observers). */
async function serviceGroups(stack: Stack): Promise<string[]> {
  const admin = createAdmin({
    brokers: stack.brokers,
    clientId: FAULTS_PREFIX,
    logger: silentLogger,
  });
  try {
    return (await admin.listGroups())
      .map((group) => group.id)
      .filter((id) => !id.startsWith(FAULTS_PREFIX));
  } finally {
    await admin.close();
  }
}

/**
 * `kill -9` of the Kafka node that leads the most registry partitions and coordinates the most
 * service groups, partway through the load. The timeline shows when its partitions got new
 * leaders, and, when it is started again, when every partition had all its replicas in sync.
 */
export function brokerKill(options: BrokerKillOptions): (context: FaultContext) => Promise<void> {
  const { stack } = options;
  return async (context) => {
    // Chosen before the load: nothing moves leaders or coordinators until the kill, and under
    // load the lookups could take long enough to put the kill late.
    const { leaders, coordinators } = await clusterRoles(stack.brokers, await serviceGroups(stack));
    const choice = chooseBroker(stack.brokerNodes, leaders, coordinators);
    await context.at(options.atMs);
    const pid = stack.brokerPid(choice.node);
    await stack.killBrokerNode(choice.node);
    const killedAt = Date.now();
    context.note(
      `kill -9 Kafka node ${choice.node} (pid ${pid ?? '?'}): it led ${choice.partitions.length} of ${choice.totalPartitions} registry partitions` +
        (choice.groups.length > 0 ? ` and coordinated ${choice.groups.join(', ')}` : ''),
    );
    const moved = await watch(context, 'new leaders for its partitions', async () => {
      const health = await partitionHealth(stack.brokers, choice.node);
      return health.ledByNode === 0 && health.leaderless === 0;
    });
    if (moved)
      context.note(
        `every partition it led has a new leader, ${formatDuration(Date.now() - killedAt)} after the kill`,
      );
    if (options.restartAtMs === undefined) return;

    await context.at(options.restartAtMs);
    const restartedAt = Date.now();
    await stack.startBrokerNode(choice.node);
    context.note(
      `Kafka node ${choice.node} started again (listed after ${formatDuration(Date.now() - restartedAt)})`,
    );
    const replicas = Math.min(3, stack.brokerNodes.length);
    const synced = await watch(context, 'every partition in sync again', async () => {
      const health = await partitionHealth(stack.brokers, choice.node);
      return health.isrSizes.every((size) => size === replicas);
    });
    if (synced)
      context.note(
        `every registry partition has its ${replicas} replicas in sync again, ${formatDuration(Date.now() - restartedAt)} after the restart`,
      );
  };
}

/** Polls `check` until it holds (true), or fails the run after WATCH_TIMEOUT_MS (false). */
async function watch(
  context: FaultContext,
  what: string,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const deadline = Date.now() + WATCH_TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() >= deadline) {
      context.fail(`no ${what} within ${formatDuration(WATCH_TIMEOUT_MS)}`);
      return false;
    }
    await sleep(POLL_MS);
  }
}
