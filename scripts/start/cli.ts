import {
  ensureCluster,
  HOST,
  isKafkadogError,
  useCluster,
  type ClusterHandle,
} from '../kafka/index.js';
import { backendWatchProcess, buildBackend } from '../lib/build.js';
import { buildDashboard } from '../lib/dashboard.js';
import { startLab } from '../lib/lab.js';
import { consoleLogger as log, formatDuration, printError, startHeartbeat } from '../lib/log.js';
import {
  StartupError,
  Supervisor,
  createPrefixer,
  describeExit,
  shouldColor,
  waitHealthy,
} from '../lib/supervisor.js';
import { SINGLE_ACTIVE, helpText, parseStartArgs, type StartArgs, type StartMode } from './args.js';
import { startLabActions } from './lab-actions.js';
import {
  checkPorts,
  describeCluster,
  describeUrls,
  plan,
  plannedPorts,
  serviceSpec,
  url,
  wantsDashboard,
} from './plan.js';
import { removeRunfile, writeRunfile } from './runfile.js';
import { createRegistryTopics } from '../topics/cli.js';
import { compactLogLine } from './format.js';

const HEALTH_TIMEOUT_MS = 60_000;
/** next dev compiles the first page on its first request: a minute or more on 2 cores. */
const DEV_DASHBOARD_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 10_000;

/**
 * Starts the whole stack (Kafka unless KAFKA_BROKERS is set, the topics, a build, every
 * service) and keeps it running until Ctrl+C, then stops what it started. `dev` runs the same
 * stack in watch mode: tsc -b --watch, the services under node --watch, the dashboard's next dev.
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  mode: StartMode = 'start',
): Promise<number> {
  let args: StartArgs;
  try {
    args = parseStartArgs(argv, mode);
  } catch (error) {
    printError((error as Error).message);
    return 2;
  }
  if (args.help) {
    process.stdout.write(helpText(mode));
    return 0;
  }
  for (const [service, count] of args.scale) {
    if (count > 1 && SINGLE_ACTIVE.includes(service)) {
      log.info(
        `${service} ×${count}: one instance holds the lease and works, the others stand by (it keeps a global view).`,
      );
    }
  }
  const stop = listenForStop();
  const color = shouldColor(process.stdout);
  let cluster: ClusterHandle | undefined;
  let supervisor: Supervisor | undefined;
  let labClose: () => Promise<void> = () => Promise.resolve();
  // Log prefixes: each runnable's label, and the lab's instances (payment#2) as they come.
  const labels = new Map<string, string>();
  try {
    // Before Kafka starts: a taken port is the most common failure, and the quickest to fix.
    if (!(await checkPorts(await plannedPorts(args.scale)))) return 1;
    cluster = await ensureCluster({ logger: log });
    // The topics, the lab and every service log in to it (a local `--sasl` cluster's user).
    useCluster(cluster);
    log.info(describeCluster(cluster));
    if (stop.requested) return await shutDown(cluster, supervisor);
    if (!(await createRegistryTopics(cluster.brokers, log))) {
      printError('Some topics differ from the registry (see above): delete them to recreate them.');
      return await shutDown(cluster, supervisor, 1);
    }
    if (stop.requested) return await shutDown(cluster, supervisor);

    if (!(await build())) return await shutDown(cluster, supervisor, 1);
    if (stop.requested) return await shutDown(cluster, supervisor);
    // next dev compiles the pages itself, on their first visit.
    if (mode === 'start' && (await wantsDashboard()) && !(await buildFrontend())) {
      return await shutDown(cluster, supervisor, 1);
    }
    if (stop.requested) return await shutDown(cluster, supervisor);

    const brokers = cluster.brokers;
    const lab = await startLab(
      startLabActions({
        supervisor: () => supervisor,
        cluster: () => cluster,
        setCluster: (next) => {
          cluster = next;
        },
        spec: (service, name, port) => serviceSpec(service, name, port, brokers, {}, mode),
        label: (name, label) => labels.set(name, label),
        log,
      }),
    );
    labClose = () => lab.close();
    const runnables = await plan(brokers, lab.url, { scale: args.scale, mode });
    if (!(await checkPorts(runnables))) return await shutDown(cluster, supervisor, 1);

    const prefix = createPrefixer(
      [...runnables.map((r) => r.label), ...(mode === 'dev' ? ['tsc'] : [])],
      { color },
    );
    for (const r of runnables) labels.set(r.name, r.label);
    supervisor = new Supervisor({
      onLine: (child, line) => {
        // tsc --watch frames each pass with blank lines.
        if (child.name === 'tsc' && line.trim() === '') return;
        process.stdout.write(
          `${prefix(labels.get(child.name) ?? child.name)}${compactLogLine(line, color)}\n`,
        );
      },
      onExit: (child, exit, expected) => {
        if (expected) return;
        printError(
          `${child.name} exited (${describeExit(exit)}); the other services keep running. Its last lines are above; Ctrl+C stops everything.`,
        );
      },
    });
    const started = Date.now();
    log.info(
      runnables.length === 0
        ? 'No service is built yet: only Kafka runs.'
        : `Starting ${runnables.map((r) => r.name).join(', ')}…`,
    );
    const running = supervisor;
    const children = runnables.map((r) => ({ runnable: r, child: running.start(r.spec) }));
    // For `npm run reset`, which stops this run by its pid.
    if (cluster.dataDir) {
      await writeRunfile(cluster.dataDir, {
        kafkadog: 1,
        pid: process.pid,
        startedAt: new Date().toISOString(),
        services: children.map(({ runnable, child }) => ({
          name: runnable.name,
          pid: child.pid,
          ...(runnable.name === 'dashboard' ? {} : { url: `http://${HOST}:${runnable.port}` }),
        })),
      });
    }
    if (mode === 'dev') {
      log.info('Watching the sources: tsc -b --watch rebuilds, node --watch restarts a service.');
      running.start(backendWatchProcess());
    }

    const pending = new Set(runnables.map((r) => r.name));
    const stopHeartbeat = startHeartbeat(10_000, (elapsed) => {
      log.info(
        `  waiting for ${[...pending].join(', ')} to be healthy (${formatDuration(elapsed)})`,
      );
    });
    const healthy = Promise.all(
      children.map(async ({ runnable, child }) => {
        const ms = await waitHealthy(child, url(runnable.port, runnable.healthPath), {
          timeoutMs:
            mode === 'dev' && runnable.name === 'dashboard'
              ? DEV_DASHBOARD_TIMEOUT_MS
              : HEALTH_TIMEOUT_MS,
        });
        pending.delete(runnable.name);
        log.info(`  ✓ ${runnable.name} healthy after ${formatDuration(ms)} (pid ${child.pid})`);
      }),
    );
    try {
      await Promise.race([healthy, stop.promise]);
    } catch (error) {
      if (!(error instanceof StartupError)) throw error;
      printError(
        `${error.message}: fix what its output says, then start again.`,
        error.tail
          .split('\n')
          .map((line) => `${prefix(labels.get(error.service) ?? error.service)}${line}`)
          .join('\n'),
      );
      return await shutDown(cluster, supervisor, 1);
    } finally {
      stopHeartbeat();
    }
    if (stop.requested) return await shutDown(cluster, supervisor);

    log.info(describeUrls(cluster, runnables, Date.now() - started));
    await stop.promise;
    return await shutDown(cluster, supervisor);
  } catch (error) {
    printError(
      isKafkadogError(error) ? error.message : `Could not start: ${(error as Error).message}`,
      isKafkadogError(error) ? error.details : undefined,
    );
    return await shutDown(cluster, supervisor, 1);
  } finally {
    stop.dispose();
  }

  async function shutDown(
    clusterAtCall: ClusterHandle | undefined,
    children: Supervisor | undefined,
    code = 0,
  ): Promise<number> {
    await labClose();
    // The lab may have started Kafka again since: stop the cluster that runs now.
    const clusterToStop = cluster ?? clusterAtCall;
    const alive = children?.processes().filter((child) => child.exit === undefined) ?? [];
    if (alive.length > 0) {
      log.info(`\nStopping ${alive.map((child) => child.name).join(', ')}…`);
      stop.onForce(() => {
        log.warn('Killing the services now (second Ctrl+C).');
        children?.killAll();
      });
      const outcomes = await children?.stopAll(STOP_GRACE_MS);
      const killed = outcomes?.filter((o) => o.outcome === 'killed').map((o) => o.name) ?? [];
      if (killed.length > 0) {
        log.warn(
          `Killed ${killed.join(', ')}: not stopped ${STOP_GRACE_MS / 1000} s after SIGTERM.`,
        );
      }
    }
    if (clusterToStop?.dataDir) await removeRunfile(clusterToStop.dataDir).catch(() => undefined);
    if (clusterToStop?.startedByUs) {
      log.info('Stopping Kafka…');
      await clusterToStop.stop();
    }
    if (code === 0) log.info('Stopped.');
    return code;
  }
}

async function build(): Promise<boolean> {
  log.info('Building the services (tsc -b tsconfig.build.json)…');
  const stopHeartbeat = startHeartbeat(10_000, (elapsed) =>
    log.info(`  still building (${formatDuration(elapsed)})`),
  );
  const result = await buildBackend().finally(stopHeartbeat);
  if (!result.ok) {
    printError(
      'The build failed (errors above): fix them and start again (`npm run build` shows them too).',
      result.output,
    );
    return false;
  }
  log.info(`Built in ${formatDuration(result.elapsedMs)}`);
  return true;
}

/** `next build` of the dashboard, skipped when nothing changed since the last one. */
async function buildFrontend(): Promise<boolean> {
  log.info('Building the dashboard (next build, only if frontend/ changed)…');
  const stopHeartbeat = startHeartbeat(10_000, (elapsed) =>
    log.info(`  still building the dashboard (${formatDuration(elapsed)})`),
  );
  const result = await buildDashboard().finally(stopHeartbeat);
  if (!result.ok) {
    printError(
      'The dashboard build failed (errors above): fix them and start again (`npm run build -w frontend` shows them too).',
      result.output,
    );
    return false;
  }
  log.info(
    result.built
      ? `Dashboard built in ${formatDuration(result.elapsedMs)}`
      : 'Dashboard up to date (frontend/ unchanged since its last build)',
  );
  return true;
}

/** The dashboard's port: PORT_FRONTEND, else 3000. */

interface StopRequest {
  readonly requested: boolean;
  /** Resolves on the first Ctrl+C or SIGTERM. */
  readonly promise: Promise<NodeJS.Signals>;
  /** Called on a signal that comes while stopping (at least 1 s after the first). */
  onForce(force: () => void): void;
  dispose(): void;
}

/**
 * Ctrl+C / SIGTERM handling from the very start, so a signal during startup stops what already
 * runs instead of leaving it behind. A terminal's Ctrl+C reaches npm, tsx and us at once, and
 * tsx may relay it: signals within a second of the first count as one.
 */
function listenForStop(): StopRequest {
  let first: number | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  let force: (() => void) | undefined;
  // Keeps the process alive while only Kafka runs (no child holds the event loop open).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const promise = new Promise<NodeJS.Signals>((r) => {
    resolve = r;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = Date.now();
      resolve(signal);
    } else if (Date.now() - first >= 1000) {
      force?.();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get requested() {
      return first !== undefined;
    },
    promise,
    onForce(callback) {
      force = callback;
    },
    dispose() {
      clearInterval(keepAlive);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
