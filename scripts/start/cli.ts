import { access } from 'node:fs/promises';
import path from 'node:path';
import { ensureCluster, HOST, isKafkadogError, type ClusterHandle } from '../kafka/index.js';
import { isPortFree } from '../kafka/processes.js';
import { buildBackend } from '../lib/build.js';
import {
  buildDashboard,
  dashboardOrigins,
  dashboardProcess,
  hasDashboard,
} from '../lib/dashboard.js';
import { consoleLogger as log, formatDuration, printError, startHeartbeat } from '../lib/log.js';
import {
  DASHBOARD_PORT,
  SERVICES,
  isBuilt,
  portVariable,
  serviceDir,
  servicePort,
  type ServiceName,
} from '../lib/services.js';
import { startLab } from '../lib/lab.js';
import {
  StartupError,
  Supervisor,
  createPrefixer,
  describeExit,
  shouldColor,
  waitHealthy,
  type ProcessSpec,
} from '../lib/supervisor.js';
import { startLabActions } from './lab-actions.js';
import { createRegistryTopics } from '../topics/cli.js';
import { compactLogLine } from './format.js';

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** One process `npm start` runs: a service, or the dashboard. */
interface Runnable {
  readonly name: string;
  readonly label: string;
  readonly port: number;
  readonly healthPath: string;
  readonly spec: ProcessSpec;
}

/**
 * Starts the whole stack (Kafka unless KAFKA_BROKERS is set, the topics, a build, every
 * service) and keeps it running until Ctrl+C, then stops what it started.
 */
export async function main(): Promise<number> {
  const stop = listenForStop();
  const color = shouldColor(process.stdout);
  let cluster: ClusterHandle | undefined;
  let supervisor: Supervisor | undefined;
  let labClose: () => Promise<void> = () => Promise.resolve();
  // Log prefixes: each runnable's label, and the lab's instances (payment#2) as they come.
  const labels = new Map<string, string>();
  try {
    // Before Kafka starts: a taken port is the most common failure, and the quickest to fix.
    if (!(await checkPorts(await plannedPorts()))) return 1;
    cluster = await ensureCluster({ logger: log });
    log.info(describeCluster(cluster));
    if (stop.requested) return await shutDown(cluster, supervisor);
    if (!(await createRegistryTopics(cluster.brokers, log))) {
      printError('Some topics differ from the registry (see above): delete them to recreate them.');
      return await shutDown(cluster, supervisor, 1);
    }
    if (stop.requested) return await shutDown(cluster, supervisor);

    if (!(await build())) return await shutDown(cluster, supervisor, 1);
    if (stop.requested) return await shutDown(cluster, supervisor);
    if ((await hasDashboard()) && !(await buildFrontend())) {
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
        spec: (service, name, port) => serviceSpec(service, name, port, brokers),
        label: (name, label) => labels.set(name, label),
        log,
      }),
    );
    labClose = () => lab.close();
    const runnables = await plan(brokers, lab.url);
    if (!(await checkPorts(runnables))) return await shutDown(cluster, supervisor, 1);

    const prefix = createPrefixer(
      runnables.map((r) => r.label),
      { color },
    );
    for (const r of runnables) labels.set(r.name, r.label);
    supervisor = new Supervisor({
      onLine: (child, line) => {
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

    const pending = new Set(runnables.map((r) => r.name));
    const stopHeartbeat = startHeartbeat(10_000, (elapsed) => {
      log.info(
        `  waiting for ${[...pending].join(', ')} to be healthy (${formatDuration(elapsed)})`,
      );
    });
    const healthy = Promise.all(
      children.map(async ({ runnable, child }) => {
        const ms = await waitHealthy(child, url(runnable.port, runnable.healthPath), {
          timeoutMs: HEALTH_TIMEOUT_MS,
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
function frontendPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT_FRONTEND;
  if (raw === undefined || raw === '') return DASHBOARD_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`PORT_FRONTEND=${raw} is not a port number (1 to 65535)`);
  }
  return port;
}

/** The built services, each with its port and environment, and the dashboard once it exists. */
async function plan(brokers: readonly string[], labUrl: string): Promise<Runnable[]> {
  const runnables: Runnable[] = [];
  const dashboardPort = frontendPort();
  // The gateway allows the dashboard's origin (CORS, and changes) and asks the others' /health.
  const serviceUrls = SERVICES.filter((service) => service.name !== 'api-gateway')
    .map((service) => `${service.name}=${url(servicePort(service.name), '')}`)
    .join(',');
  const gatewayEnv = {
    CORS_ORIGINS: process.env.CORS_ORIGINS ?? dashboardOrigins(dashboardPort).join(','),
    SERVICE_URLS: process.env.SERVICE_URLS ?? serviceUrls,
    LAB_URL: labUrl,
  };
  for (const service of SERVICES) {
    if (!(await isBuilt(service.name))) {
      log.warn(
        `  ${service.name}: skipped, not built (no backend/apps/${service.name}/dist/main.js)`,
      );
      continue;
    }
    const port = servicePort(service.name);
    runnables.push({
      name: service.name,
      label: service.label,
      port,
      healthPath: '/health',
      spec: serviceSpec(service.name, service.name, port, brokers, {
        ...(service.name === 'api-gateway' ? gatewayEnv : {}),
      }),
    });
  }
  if (await hasDashboard()) {
    const gatewayPort = servicePort('api-gateway');
    runnables.push({
      name: 'dashboard',
      label: 'dashboard',
      port: dashboardPort,
      healthPath: '/',
      spec: dashboardProcess({ port: dashboardPort, host: HOST, apiUrl: url(gatewayPort, '') }),
    });
  }
  return runnables;
}

/** How npm start runs one instance of a service. */
function serviceSpec(
  service: ServiceName,
  name: string,
  port: number,
  brokers: readonly string[],
  env: NodeJS.ProcessEnv = {},
): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: ['dist/main.js'],
    cwd: serviceDir(service),
    env: { ...process.env, ...env, PORT: String(port), KAFKA_BROKERS: brokers.join(','), HOST },
  };
}

/** The ports of the services that have sources (they will be built) or a build. */
async function plannedPorts(): Promise<{ name: string; port: number }[]> {
  const planned: { name: string; port: number }[] = [];
  for (const service of SERVICES) {
    const hasSource = await access(path.join(serviceDir(service.name), 'src', 'main.ts')).then(
      () => true,
      () => false,
    );
    if (hasSource || (await isBuilt(service.name))) {
      planned.push({ name: service.name, port: servicePort(service.name) });
    }
  }
  if (await hasDashboard()) planned.push({ name: 'dashboard', port: frontendPort() });
  return planned;
}

/** Reports every port already taken, with its fix. */
async function checkPorts(runnables: readonly { name: string; port: number }[]): Promise<boolean> {
  let ok = true;
  for (const runnable of runnables) {
    if (await isPortFree(runnable.port, HOST)) continue;
    ok = false;
    printError(
      `Port ${runnable.port} (${runnable.name}) is already in use: stop the process that uses it, or set ${runnable.name === 'dashboard' ? 'PORT_FRONTEND' : portVariable(runnable.name)}=<another port>.`,
    );
  }
  return ok;
}

function url(port: number, pathname: string): string {
  return `http://${HOST}:${port}${pathname}`;
}

function describeCluster(cluster: ClusterHandle): string {
  const where = cluster.brokers.join(',');
  if (cluster.external) return `Using Kafka at ${where} (KAFKA_BROKERS)`;
  if (!cluster.startedByUs) return `Kafka already running at ${where}`;
  const elapsed = cluster.result ? ` in ${formatDuration(cluster.result.elapsedMs)}` : '';
  return `Kafka ready at ${where}${elapsed} (data: ${cluster.dataDir})`;
}

function describeUrls(cluster: ClusterHandle, runnables: readonly Runnable[], ms: number): string {
  const lines: string[] = [''];
  const gateway = runnables.find((r) => r.name === 'api-gateway');
  const dashboard = runnables.find((r) => r.name === 'dashboard');
  const services = runnables.filter((r) => r !== dashboard);
  lines.push(
    services.length > 0
      ? `kafkadog is running: ${services.length} service(s) healthy in ${formatDuration(ms)}.`
      : 'kafkadog is running (Kafka only).',
  );
  const row = (label: string, value: string) => `  ${label.padEnd(14)}${value}`;
  if (dashboard) lines.push(row('Dashboard', `http://localhost:${dashboard.port}`));
  if (gateway) {
    lines.push(row('API', url(gateway.port, '')));
    lines.push(row('API docs', url(gateway.port, '/docs')));
  }
  for (const service of services) {
    lines.push(
      row(service.label, `${url(service.port, '/health')}  ${url(service.port, '/metrics')}`),
    );
  }
  lines.push(row('Kafka', cluster.brokers.join(',')));
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}

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
