import { topics } from '@kafkadog/contracts';
import { isKafkadogError, KafkadogError } from '../kafka/errors.js';
import { isAlive } from '../kafka/processes.js';
import { resolveSettings } from '../kafka/index.js';
import { runningServiceUrls } from '../start/runfile.js';
import { consoleLogger as log, formatDuration, printError } from '../lib/log.js';
import { callGateway, describeAnswer } from '../ops/gateway.js';
import { onInterrupt } from '../ops/interrupt.js';
import { describeTarget, HELP, parseReplayArgs, type ReplayArgs } from './args.js';
import {
  duplicatesOf,
  formatReport,
  movedRecords,
  replayHeld,
  type GroupReplay,
  type ResetRow,
} from './summary.js';

const POLL_MS = 500;
/** The duplicates counter is raised before the commit that ends the lag; read it a little longer. */
const COUNTER_SETTLE_MS = 3000;

interface GroupOffsets {
  readonly offsets: {
    topic: string;
    partition: number;
    committed: string | null;
    logEnd: string;
    lag: number | null;
  }[];
  readonly members: unknown[];
  readonly paused: boolean;
}

interface ResetAnswer {
  readonly partitions: ResetRow[];
  readonly command: string;
}

/** `npm run replay`: see HELP. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const interrupt = onInterrupt();
  try {
    const args = parseReplayArgs(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const gateway = new Gateway(args.gateway);
    const serviceUrls = await gateway.serviceUrls();
    const groups = args.all ? await gateway.replayableGroups() : args.groups;
    for (const group of args.groups) await gateway.group(group);
    if (groups.length === 0) {
      log.info('No consumer group has committed offsets yet: place orders first (`npm run seed`).');
      return 0;
    }
    if (args.dryRun) return await dryRun(gateway, groups, args);

    log.info(`Replaying ${groups.join(', ')} from ${describeTarget(args.to)}…`);
    const outcomesBefore = await gateway.outcomeRecords();
    const results = await Promise.all(
      groups.map((group) => replayGroup(gateway, serviceUrls, group, args, interrupt.signal)),
    );
    const report = {
      groups: results,
      newOutcomes: (await gateway.outcomeRecords()) - outcomesBefore,
    };
    log.info(`\n${formatReport(report)}`);
    if (!replayHeld(report)) {
      printError(
        report.newOutcomes > 0
          ? `${report.newOutcomes} outcome(s) were written during the replay: orders placed meanwhile, or a service that is not idempotent; see its log.`
          : "Some replayed records were not counted as duplicates: records the group had not read before the replay (it lagged), or events it never applies; see the services' logs.",
      );
      return 1;
    }
    return 0;
  } catch (error) {
    if (interrupt.signal.aborted) {
      log.warn('Interrupted: the groups were resumed; they go on reading from where they are.');
      return 130;
    }
    printError(
      isKafkadogError(error) ? error.message : `The replay failed: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    interrupt.dispose();
  }
}

async function dryRun(
  gateway: Gateway,
  groups: readonly string[],
  args: ReplayArgs,
): Promise<number> {
  for (const group of groups) {
    const answer = await gateway.reset(group, args, true);
    const { replayed, skipped } = movedRecords(answer.partitions);
    log.info(
      `${group}: would read ${replayed} record(s) again${skipped > 0 ? ` and skip ${skipped}` : ''}` +
        ` (${answer.partitions.map((p) => `${p.topic}[${p.partition}] ${p.before ?? '-'}→${p.after}`).join(', ')})`,
    );
    log.info(`  ${answer.command}`);
  }
  log.info('Dry run: nothing moved.');
  return 0;
}

async function replayGroup(
  gateway: Gateway,
  serviceUrls: readonly string[],
  group: string,
  args: ReplayArgs,
  signal: AbortSignal,
): Promise<GroupReplay> {
  const say = (message: string) => log.info(`  ${group}: ${message}`);
  const duplicatesBefore = duplicatesOf(await metricsOf(serviceUrls), group);
  const lagging = (await gateway.group(group)).offsets.reduce(
    (sum, row) => sum + (row.lag ?? 0),
    0,
  );
  if (lagging > 0) {
    log.warn(
      `  ${group}: ${lagging} record(s) not read yet: they are new to it, so they will not count as duplicates.`,
    );
  }
  const started = Date.now();
  await gateway.post(`/explorer/groups/${encodeURIComponent(group)}/pause`, undefined, 202);
  say('paused (its consumers leave the group)');
  let answer: ResetAnswer;
  try {
    // The group is paused already: the gateway waits until it is empty, resets, and leaves it paused.
    answer = await gateway.reset(group, args, false);
    const { replayed, skipped } = movedRecords(answer.partitions);
    say(
      `offsets reset to ${describeTarget(args.to)}: ${replayed} record(s) to read again${skipped > 0 ? `, ${skipped} skipped` : ''}`,
    );
  } finally {
    await gateway.post(`/explorer/groups/${encodeURIComponent(group)}/resume`, undefined, 202);
    say('resumed');
  }
  const { replayed, skipped } = movedRecords(answer.partitions);
  await waitUntilCaughtUp(gateway, group, args.timeoutSec * 1000, signal, say);
  const expected = duplicatesBefore + replayed;
  const deadline = Date.now() + COUNTER_SETTLE_MS;
  let duplicates = duplicatesOf(await metricsOf(serviceUrls), group);
  while (duplicates < expected && Date.now() < deadline) {
    await sleep(200);
    duplicates = duplicatesOf(await metricsOf(serviceUrls), group);
  }
  const result = {
    group,
    replayed,
    skipped,
    duplicates: duplicates - duplicatesBefore,
    seconds: (Date.now() - started) / 1000,
    command: answer.command,
  };
  say(`back at the end of its topics after ${formatDuration(Date.now() - started)}`);
  return result;
}

async function waitUntilCaughtUp(
  gateway: Gateway,
  group: string,
  timeoutMs: number,
  signal: AbortSignal,
  say: (message: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  for (;;) {
    signal.throwIfAborted();
    const { offsets, members } = await gateway.group(group);
    const left = offsets
      .filter((row) => row.committed !== null)
      .reduce((sum, row) => sum + (row.lag ?? 0), 0);
    if (left === 0 && members.length > 0) return;
    if (Date.now() >= deadline) {
      throw new KafkadogError(
        'WAIT_TIMEOUT',
        `${group} still has ${left} record(s) to read after ${formatDuration(timeoutMs)}` +
          (members.length === 0 ? ' and no consumer in the group' : '') +
          `: check that its service runs (${gateway.url}/system/health) and what its log says, or wait longer with --timeout.`,
      );
    }
    if (Date.now() - lastReport >= 2000) {
      lastReport = Date.now();
      say(`${left} record(s) left to read`);
    }
    await sleep(POLL_MS);
  }
}

async function metricsOf(serviceUrls: readonly string[]): Promise<string[]> {
  return Promise.all(
    serviceUrls.map(async (url) => {
      try {
        const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
        return response.ok ? await response.text() : '';
      } catch {
        return ''; // a service that is down counts nothing; its group's lag says the rest
      }
    }),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The gateway's routes the replay uses. */
class Gateway {
  constructor(readonly url: string) {}

  async get<T>(path: string): Promise<T> {
    const { status, body } = await callGateway<T>(this.url, 'GET', path);
    if (status !== 200) {
      throw new KafkadogError(
        'GATEWAY_REFUSED',
        `GET ${this.url}${path} answered ${describeAnswer(status, body)}`,
      );
    }
    return body;
  }

  async post<T>(path: string, request: unknown, expected: number): Promise<T> {
    const { status, body } = await callGateway<T>(this.url, 'POST', path, request);
    if (status !== expected) {
      throw new KafkadogError(
        'GATEWAY_REFUSED',
        `POST ${this.url}${path} answered ${describeAnswer(status, body)}`,
      );
    }
    return body;
  }

  /** Every service's URL, as the gateway knows them (itself included). */
  async serviceUrls(): Promise<string[]> {
    const health = await this.get<{ services: { name: string; url: string; status: string }[] }>(
      '/system/health',
    );
    const down = health.services.filter((s) => s.status !== 'up').map((s) => s.name);
    if (down.length > 0)
      log.warn(`Not up: ${down.join(', ')}: their groups cannot read again until they run.`);
    // The gateway lists one instance per service; `npm start -- --scale` runs more, and each
    // counts the duplicates of the partitions it holds.
    const local = await runningServiceUrls(resolveSettings().dataDir, isAlive).catch(() => []);
    return [...new Set([...health.services.map((s) => s.url), ...local])];
  }

  async group(id: string): Promise<GroupOffsets> {
    const { status, body } = await callGateway<GroupOffsets>(
      this.url,
      'GET',
      `/explorer/groups/${encodeURIComponent(id)}`,
    );
    if (status === 404) {
      const known = await this.replayableGroups().catch(() => []);
      throw new KafkadogError(
        'BAD_ARGS',
        `There is no consumer group ${id}${known.length > 0 ? `: the groups with offsets are ${known.join(', ')}` : ''}.`,
      );
    }
    if (status !== 200) {
      throw new KafkadogError(
        'GATEWAY_REFUSED',
        `GET ${this.url}/explorer/groups/${id} answered ${describeAnswer(status, body)}`,
      );
    }
    return body;
  }

  /** The groups with committed offsets: what a reset can move (lease groups commit nothing). */
  async replayableGroups(): Promise<string[]> {
    const { groups } = await this.get<{ groups: { groupId: string; lag: number | null }[] }>(
      '/explorer/groups',
    );
    const replayable: string[] = [];
    for (const { groupId } of groups) {
      const { offsets } = await this.group(groupId);
      if (offsets.some((row) => row.committed !== null)) replayable.push(groupId);
    }
    return replayable.sort();
  }

  reset(group: string, args: ReplayArgs, dryRun: boolean): Promise<ResetAnswer> {
    return this.post<ResetAnswer>(
      `/explorer/groups/${encodeURIComponent(group)}/reset`,
      { to: args.to, dryRun, ...(dryRun ? {} : { pause: true }) },
      200,
    );
  }

  /** Records in orders.outcome.v1, all partitions. */
  async outcomeRecords(): Promise<number> {
    const topic = await this.get<{ partitions: { high: string }[] }>(
      `/explorer/topics/${topics.outcomes.name}`,
    );
    return topic.partitions.reduce((sum, p) => sum + Number(p.high), 0);
  }
}
