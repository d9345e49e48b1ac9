/**
 * What `npm start` runs and where: each built service and the dashboard with its port and
 * environment, the ports it checks before it starts anything, and the URLs it prints.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { HOST, type ClusterHandle } from '../kafka/index.js';
import { isPortFree } from '../kafka/processes.js';
import {
  dashboardDevProcess,
  dashboardOrigins,
  dashboardProcess,
  hasDashboard,
} from '../lib/dashboard.js';
import { consoleLogger as log, formatDuration, printError } from '../lib/log.js';
import {
  DASHBOARD_PORT,
  SERVICES,
  SERVICE_NODE_FLAGS,
  instanceName,
  instancePort,
  isBuilt,
  portVariable,
  serviceDir,
  servicePort,
  type ServiceName,
} from '../lib/services.js';
import type { ProcessSpec } from '../lib/supervisor.js';
import type { StartMode } from './args.js';

export interface PlanOptions {
  /** Instances per service (1 when not named). */
  readonly scale?: ReadonlyMap<ServiceName, number>;
  /** `dev`: services under node --watch, the dashboard under next dev. */
  readonly mode?: StartMode;
}

/** Every instance of a service npm start runs: its process name, log label and port. */
export function instancesOf(
  service: (typeof SERVICES)[number],
  scale: ReadonlyMap<ServiceName, number> = new Map(),
  env: NodeJS.ProcessEnv = process.env,
): { name: string; label: string; port: number }[] {
  const base = servicePort(service.name, env);
  return Array.from({ length: scale.get(service.name) ?? 1 }, (_, i) => ({
    name: instanceName(service.name, i + 1),
    label: i === 0 ? service.label : `${service.label}#${i + 1}`,
    port: instancePort(base, i + 1),
  }));
}

/** One process `npm start` runs: a service, or the dashboard. */
export interface Runnable {
  readonly name: string;
  readonly label: string;
  readonly port: number;
  readonly healthPath: string;
  readonly spec: ProcessSpec;
}

export function frontendPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT_FRONTEND;
  if (raw === undefined || raw === '') return DASHBOARD_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`PORT_FRONTEND=${raw} is not a port number (1 to 65535)`);
  }
  return port;
}

/** The dashboard runs unless KAFKADOG_DASHBOARD=0 (the services only: no next build, less memory). */
export async function wantsDashboard(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return env.KAFKADOG_DASHBOARD !== '0' && (await hasDashboard());
}

/**
 * The built services (each instance with its port and environment), and the dashboard once it
 * exists.
 */
export async function plan(
  brokers: readonly string[],
  labUrl: string,
  options: PlanOptions = {},
): Promise<Runnable[]> {
  const mode = options.mode ?? 'start';
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
    for (const instance of instancesOf(service, options.scale)) {
      runnables.push({
        ...instance,
        healthPath: '/health',
        spec: serviceSpec(
          service.name,
          instance.name,
          instance.port,
          brokers,
          service.name === 'api-gateway' ? gatewayEnv : {},
          mode,
        ),
      });
    }
  }
  if (await wantsDashboard()) {
    const dashboard = {
      port: dashboardPort,
      host: HOST,
      apiUrl: url(servicePort('api-gateway'), ''),
    };
    runnables.push({
      name: 'dashboard',
      label: 'dashboard',
      port: dashboardPort,
      healthPath: '/',
      spec: mode === 'dev' ? dashboardDevProcess(dashboard) : dashboardProcess(dashboard),
    });
  }
  return runnables;
}

/**
 * How npm start runs one instance of a service. Under `dev`, node --watch restarts it when a
 * file it loaded changes: its own dist/ or a lib's, which `tsc -b --watch` rewrites on a change
 * of their sources. (The services need tsc's decorator metadata for Nest's injection, which
 * no type-stripping runner emits, so dev runs what tsc builds, as npm start does.)
 */
export function serviceSpec(
  service: ServiceName,
  name: string,
  port: number,
  brokers: readonly string[],
  env: NodeJS.ProcessEnv = {},
  mode: StartMode = 'start',
): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args:
      mode === 'dev'
        ? [...SERVICE_NODE_FLAGS, '--watch', '--watch-preserve-output', 'dist/main.js']
        : [...SERVICE_NODE_FLAGS, 'dist/main.js'],
    cwd: serviceDir(service),
    env: { ...process.env, ...env, PORT: String(port), KAFKA_BROKERS: brokers.join(','), HOST },
  };
}

/** The ports of the services that have sources (they will be built) or a build. */
export async function plannedPorts(
  scale?: ReadonlyMap<ServiceName, number>,
): Promise<{ name: string; port: number }[]> {
  const planned: { name: string; port: number }[] = [];
  for (const service of SERVICES) {
    const hasSource = await access(path.join(serviceDir(service.name), 'src', 'main.ts')).then(
      () => true,
      () => false,
    );
    if (hasSource || (await isBuilt(service.name))) {
      for (const { name, port } of instancesOf(service, scale)) planned.push({ name, port });
    }
  }
  if (await wantsDashboard()) planned.push({ name: 'dashboard', port: frontendPort() });
  return planned;
}

/** Reports every port already taken, with its fix. */
export async function checkPorts(
  runnables: readonly { name: string; port: number }[],
): Promise<boolean> {
  let ok = true;
  for (const runnable of runnables) {
    if (await isPortFree(runnable.port, HOST)) continue;
    ok = false;
    const [service, n] = runnable.name.split('#');
    const variable = runnable.name === 'dashboard' ? 'PORT_FRONTEND' : portVariable(service ?? '');
    const instance =
      n === undefined ? '' : ` (instance ${n} listens on it + ${10 * (Number(n) - 1)})`;
    printError(
      `Port ${runnable.port} (${runnable.name}) is already in use: stop the process that uses it, or set ${variable}=<another port>${instance}.`,
    );
  }
  return ok;
}

export function url(port: number, pathname: string): string {
  return `http://${HOST}:${port}${pathname}`;
}

export function describeCluster(cluster: ClusterHandle): string {
  const where = cluster.brokers.join(',');
  if (cluster.external) return `Using Kafka at ${where} (KAFKA_BROKERS)`;
  if (!cluster.startedByUs) return `Kafka already running at ${where}`;
  const elapsed = cluster.result ? ` in ${formatDuration(cluster.result.elapsedMs)}` : '';
  return `Kafka ready at ${where}${elapsed} (data: ${cluster.dataDir})`;
}

export function describeUrls(
  cluster: ClusterHandle,
  runnables: readonly Runnable[],
  ms: number,
): string {
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
