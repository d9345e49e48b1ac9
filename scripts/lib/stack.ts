/**
 * A whole kafkadog stack of its own, for one system-test file or one bench run: a broker (own
 * data dir, free ports), every registry topic, and the built services as real processes on free
 * ports. The services run from their dist/ (built by the caller: test/system/global-setup.ts,
 * the bench).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HOST,
  brokerAddresses,
  ensureCluster,
  findFreeBasePort,
  isKafkadogError,
  killNode,
  nodePorts,
  securityEnv,
  silentLogger,
  startNode,
  useCluster,
  type ClusterHandle,
} from '../kafka/index.js';
import {
  SERVICE_NAMES,
  SERVICE_NODE_FLAGS,
  isBuilt,
  serviceDir,
  type ServiceName,
} from './services.js';
import {
  StartupError,
  Supervisor,
  createPrefixer,
  describeExit,
  waitHealthy,
  type ManagedProcess,
} from './supervisor.js';
import { createRegistryTopics } from '../topics/cli.js';
import { dashboardOrigins, dashboardProcess } from './dashboard.js';
import { startLab, type Lab, type LabInstance } from './lab.js';

export type { ServiceName };
export { SERVICE_NAMES };

/** A service's process: `inventory-service`, or `inventory-service#2` for its second instance. */
export type ProcessName = ServiceName | `${ServiceName}#${number}`;

function serviceOf(name: ProcessName): ServiceName {
  return name.split('#')[0] as ServiceName;
}

export interface StackOptions {
  /**
   * Kafka nodes (each broker and controller; 1 by default). The topics get replication factor
   * min(3, nodes), and with 3 replicas min.insync.replicas=2, as `npm run topics:create` does.
   */
  readonly nodes?: number;
  /** Extra environment for every service, e.g. `{ SAGA_TIMEOUT_MS: '8000' }`. */
  readonly env?: Record<string, string>;
  /** The services to run; all six by default. */
  readonly services?: readonly ServiceName[];
  /** How many instances of a service to run (1 by default); the extra ones are `<name>#<n>`. */
  readonly instances?: Partial<Record<ServiceName, number>>;
  /**
   * Start the services first, pointed at a broker that does not run yet; `startBroker()` then
   * starts it. For the "services wait for Kafka" test.
   */
  readonly deferBroker?: boolean;
  /** How long each service gets to answer GET /health with 200. */
  readonly healthTimeoutMs?: number;
  /** Also run the built dashboard (frontend/.next), pointed at this stack's gateway. */
  readonly dashboard?: boolean;
  /**
   * Serve the lab API (scripts/lib/lab.ts) for the gateway's scenarios: more instances of a
   * service, and the broker stopped and started, on request.
   */
  readonly lab?: boolean;
  /** Every line a service prints (besides KAFKADOG_TEST_LOG=1, which echoes them all). */
  readonly onLine?: (process: ProcessName, line: string) => void;
  /**
   * Gives up a start under way (Ctrl+C): a broker being started is let come up first, then
   * everything started so far is stopped, and `startStack` rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

export interface Stack {
  readonly brokers: string[];
  readonly services: readonly ServiceName[];
  /** Every process: each service's name, and `<name>#<n>` for its further instances. */
  readonly processes: readonly ProcessName[];
  /** Starts one more instance of a service (`<name>#<n>`) and waits until it is healthy. */
  readonly addInstance: (service: ServiceName) => Promise<ProcessName>;
  /** `http://127.0.0.1:<port>` of a process (the port stays the same across restarts). */
  readonly url: (process: ProcessName) => string;
  /** The dashboard's base URL, when the stack runs one (`dashboard: true`). */
  readonly dashboardUrl: string | undefined;
  /** Sends `signal` (SIGKILL by default: a crash) to the service and waits until it is gone. */
  readonly kill: (process: ProcessName, signal?: NodeJS.Signals) => Promise<void>;
  /** Sends `signal` and returns at once: SIGSTOP freezes the process (a long GC pause, a VM
   * suspended), SIGCONT lets it go on. */
  readonly signal: (process: ProcessName, signal: 'SIGSTOP' | 'SIGCONT') => void;
  /** Stops the service gracefully (SIGTERM, SIGKILL after 10 s). */
  readonly stopService: (process: ProcessName) => Promise<void>;
  /** Starts a stopped or killed service again and waits until it is healthy. */
  readonly start: (
    process: ProcessName,
    options?: { env?: Record<string, string> },
  ) => Promise<void>;
  /** stopService, then start. */
  readonly restart: (process: ProcessName) => Promise<void>;
  /** Every line the service printed in this stack, across restarts, in order. */
  readonly logs: (process: ProcessName) => string[];
  /** Whether the service's current process runs. */
  readonly isRunning: (process: ProcessName) => boolean;
  /** Starts the deferred (or stopped) broker, creates the topics, waits for healthy services. */
  readonly startBroker: () => Promise<void>;
  /** Stops the broker and keeps its data (an outage); `startBroker` brings it back. */
  readonly stopBroker: () => Promise<void>;
  /** Waits until every running service answers GET /health with 200. */
  readonly waitHealthy: (processes?: readonly ProcessName[]) => Promise<void>;
  /** The pid of a process's current run, while it runs. */
  readonly pid: (process: ProcessName) => number | undefined;
  /** The pid of a Kafka node's JVM (node 1 by default), while it runs. */
  readonly brokerPid: (node?: number) => number | undefined;
  /** Kafka's node ids, 1 to `nodes`. */
  readonly brokerNodes: readonly number[];
  /** Crashes one Kafka node (SIGKILL, no controlled shutdown) and waits until it is gone. */
  readonly killBrokerNode: (node: number) => Promise<void>;
  /** Starts a killed Kafka node again and waits until the cluster lists it. */
  readonly startBrokerNode: (node: number) => Promise<void>;
  /** Stops the services and the broker, and deletes the broker's data. */
  readonly stop: () => Promise<void>;
}

const DEFAULT_HEALTH_TIMEOUT_MS = 60_000;

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const services = [...(options.services ?? SERVICE_NAMES)];
  const processes: ProcessName[] = services.flatMap((name) => [
    name,
    ...Array.from(
      { length: Math.max(0, (options.instances?.[name] ?? 1) - 1) },
      (_, i): ProcessName => `${name}#${i + 2}`,
    ),
  ]);
  const missing: string[] = [];
  for (const name of services) if (!(await isBuilt(name))) missing.push(name);
  if (missing.length > 0) {
    throw new Error(
      `not built: ${missing.join(', ')} (no backend/apps/<name>/dist/main.js). The system tests need every service: build with \`npm run build\`.`,
    );
  }

  const echo = process.env.KAFKADOG_TEST_LOG === '1';
  const prefix = createPrefixer(processes, { color: false });
  const lines = new Map<ProcessName, string[]>(processes.map((name) => [name, []]));
  const supervisor = new Supervisor({
    maxLines: 1000,
    onLine: (child, line) => {
      lines.get(child.name as ProcessName)?.push(line);
      options.onLine?.(child.name as ProcessName, line);
      if (echo) process.stdout.write(`${prefix(child.name)}${line}\n`);
    },
    onExit: (child, exit, expected) => {
      if (!expected) {
        process.stderr.write(`[stack] ${child.name} exited unexpectedly (${describeExit(exit)})\n`);
      }
    },
  });

  const nodes = options.nodes ?? 1;
  const brokerNodes = Array.from({ length: nodes }, (_, i) => i + 1);
  const dataDir = await mkdtemp(join(tmpdir(), 'kafkadog-system-'));
  // Below Linux's ephemeral range (32768-60999): a port in it can be taken by any outgoing
  // connection between this check and the broker's bind, seconds later.
  const basePort = await findFreeBasePort({
    nodes,
    from: 20_000 + 10 * Math.floor(Math.random() * 1_000),
  });
  const brokers = brokerAddresses(basePort, nodes);
  // Free now is not reserved: no two processes get the same port, and none gets a broker's
  // (its client port and its controller port next to it, both bound only once it starts).
  const taken = new Set(brokerNodes.flatMap((id) => Object.values(nodePorts(basePort, id))));
  async function newPort(): Promise<number> {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    return port;
  }
  const ports = new Map<ProcessName, number>();
  for (const name of processes) ports.set(name, await newPort());
  /** Instances started through addInstance (the lab lists these). */
  const added: ProcessName[] = [];
  const dashboardPort = options.dashboard ? await newPort() : undefined;
  const envs = new Map<ProcessName, Record<string, string>>();
  let cluster: ClusterHandle | undefined;
  const healthTimeoutMs = options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  /** Each node's JVM pid, as its latest start reported it. */
  const brokerPids = new Map<number, number>();
  const clusterEnv = () => {
    // A broker of our own even when KAFKA_BROKERS names one: these tests reset every group.
    const env = { ...process.env };
    delete env.KAFKA_BROKERS;
    return env;
  };

  const url = (name: ProcessName) => `http://${HOST}:${ports.get(name) ?? 0}`;

  async function startBroker(): Promise<void> {
    cluster = await ensureCluster({
      basePort,
      dataDir,
      nodes,
      logger: silentLogger,
      env: clusterEnv(),
    });
    for (const node of cluster.result?.nodes ?? []) {
      if (node.pid !== undefined) brokerPids.set(node.id, node.pid);
    }
    // Its clients here and in the services log in as this broker wants, not as KAFKA_SASL_* say.
    useCluster(cluster);
    if (!(await createRegistryTopics(cluster.brokers, silentLogger))) {
      throw new Error('the registry topics could not be created as specified');
    }
  }

  // The gateway asks the first instance of every other service for its health; it allows the
  // dashboard's origin when there is one.
  function gatewayEnv(): Record<string, string> {
    const others = services.filter((name) => name !== 'api-gateway');
    return {
      SERVICE_URLS: others.map((name) => `${name}=${url(name)}`).join(','),
      ...(dashboardPort === undefined
        ? {}
        : { CORS_ORIGINS: dashboardOrigins(dashboardPort).join(',') }),
      ...(lab ? { LAB_URL: lab.url } : {}),
    };
  }

  async function addInstance(service: ServiceName): Promise<ProcessName> {
    let n = 2;
    while (processes.includes(`${service}#${n}`)) n++;
    const name: ProcessName = `${service}#${n}`;
    processes.push(name);
    added.push(name);
    lines.set(name, []);
    ports.set(name, await newPort());
    spawn(name);
    await healthy(name);
    return name;
  }

  function spawn(name: ProcessName, extraEnv: Record<string, string> = {}): ManagedProcess {
    envs.set(name, extraEnv);
    return supervisor.start({
      name,
      command: process.execPath,
      args: [...SERVICE_NODE_FLAGS, 'dist/main.js'],
      cwd: serviceDir(serviceOf(name)),
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        ...(serviceOf(name) === 'api-gateway' ? gatewayEnv() : {}),
        ...options.env,
        ...extraEnv,
        ...(cluster?.env ?? securityEnv(undefined)),
        PORT: String(ports.get(name)),
        KAFKA_BROKERS: brokers.join(','),
        HOST,
      },
    });
  }

  async function healthy(name: ProcessName): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const child = supervisor.get(name);
      if (!child) throw new Error(`${name} was never started`);
      try {
        await waitHealthy(child, `${url(name)}/health`, { timeoutMs: healthTimeoutMs });
        return;
      } catch (error) {
        if (!(error instanceof StartupError)) throw error;
        // Its port was free when picked, but something else bound it before the service did.
        if (attempt < 3 && error.reason === 'exited' && error.tail.includes('port in use')) {
          console.warn(`[stack] ${name}: port ${ports.get(name)} was taken; starting it again`);
          ports.set(name, await newPort());
          spawn(name, envs.get(name));
          continue;
        }
        throw new Error(`${error.message}\n--- last lines of ${name} ---\n${error.tail}`);
      }
    }
  }

  async function waitAllHealthy(names: readonly ProcessName[] = processes): Promise<void> {
    await Promise.all(
      names.filter((name) => supervisor.get(name)?.exit === undefined).map(healthy),
    );
  }

  async function stop(): Promise<void> {
    await lab?.close();
    await supervisor.stopAll(10_000);
    await cluster?.stop({ wipe: true });
    // Also when the broker never started (deferBroker, or a failed start).
    await rm(dataDir, { recursive: true, force: true });
  }

  const dashboardUrl = dashboardPort === undefined ? undefined : `http://${HOST}:${dashboardPort}`;
  async function startDashboard(): Promise<void> {
    if (dashboardPort === undefined || !dashboardUrl) return;
    const child = supervisor.start(
      dashboardProcess({
        port: dashboardPort,
        host: HOST,
        apiUrl: url('api-gateway'),
        env: { ...process.env, NODE_OPTIONS: '' },
      }),
    );
    try {
      await waitHealthy(child, `${dashboardUrl}/`, { timeoutMs: healthTimeoutMs });
    } catch (error) {
      if (!(error instanceof StartupError)) throw error;
      throw new Error(`${error.message}\n--- last lines of the dashboard ---\n${error.tail}`);
    }
  }

  let lab: Lab | undefined;
  try {
    if (options.lab) {
      lab = await startLab({
        instances: () =>
          added
            .filter((name) => supervisor.get(name)?.exit === undefined)
            .map((name): LabInstance => ({
              name,
              service: serviceOf(name),
              url: url(name),
              pid: supervisor.get(name)?.pid,
            })),
        startInstance: async (service) => {
          const name = await addInstance(service);
          return { name, service, url: url(name), pid: supervisor.get(name)?.pid };
        },
        stopInstance: async (name, signal) => {
          const child = supervisor.get(name);
          if (signal === 'SIGKILL') {
            child?.signal('SIGKILL');
            await child?.exited;
          } else {
            await child?.stop(10_000);
          }
        },
        stopKafka: () => cluster?.stop({ wipe: false }) ?? Promise.resolve(),
        startKafka: startBroker,
      });
    }
    const { signal } = options;
    signal?.throwIfAborted();
    // Not raced with the signal: until it is up, the broker's pid is unknown, so it could not be
    // stopped.
    if (!options.deferBroker) await startBroker();
    signal?.throwIfAborted();
    for (const name of processes) spawn(name);
    if (!options.deferBroker) {
      await unlessAborted(Promise.all([waitAllHealthy(), startDashboard()]), signal);
    }
  } catch (error) {
    await stop().catch(() => undefined);
    if (isKafkadogError(error)) throw new Error(`the test broker did not start: ${error.message}`);
    throw error;
  }

  return {
    brokers,
    services,
    processes,
    addInstance,
    url,
    dashboardUrl,
    async kill(name, signal = 'SIGKILL') {
      const child = supervisor.get(name);
      if (!child || child.exit !== undefined) return;
      child.signal(signal);
      await child.exited;
    },
    signal(name, signal) {
      supervisor.get(name)?.signal(signal);
    },
    async stopService(name) {
      await supervisor.get(name)?.stop(10_000);
    },
    async start(name, startOptions = {}) {
      spawn(name, startOptions.env);
      await healthy(name);
    },
    async restart(name) {
      await supervisor.get(name)?.stop(10_000);
      spawn(name);
      await healthy(name);
    },
    logs: (name) => [...(lines.get(name) ?? [])],
    isRunning: (name) => {
      const child = supervisor.get(name);
      return child !== undefined && child.exit === undefined;
    },
    async startBroker() {
      await startBroker();
      await waitAllHealthy();
    },
    async stopBroker() {
      await cluster?.stop({ wipe: false });
      brokerPids.clear();
    },
    waitHealthy: waitAllHealthy,
    pid(name) {
      const child = supervisor.get(name);
      return child && child.exit === undefined ? child.pid : undefined;
    },
    brokerPid: (node = 1) => brokerPids.get(node),
    brokerNodes,
    async killBrokerNode(node) {
      await killNode(node, { basePort, dataDir, logger: silentLogger, env: clusterEnv() });
      brokerPids.delete(node);
    },
    async startBrokerNode(node) {
      const result = await startNode(node, {
        basePort,
        dataDir,
        logger: silentLogger,
        env: clusterEnv(),
      });
      const pid = result.nodes.find((status) => status.id === node)?.pid;
      if (pid !== undefined) brokerPids.set(node, pid);
    },
    stop,
  };
}

/** `work`, or a rejection with the signal's reason as soon as it aborts. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
