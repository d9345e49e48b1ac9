import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { access, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KafkaSecurity } from './client.js';
import type { Logger } from '../lib/log.js';
import { formatDuration } from '../lib/log.js';
import {
  HOST,
  KAFKA_VERSION,
  LOG4J_CONFIG,
  brokerAddresses,
  clusterLayout,
  nodePorts,
  type Env,
  type NodeLayout,
  type Settings,
} from './config.js';
import { KafkadogError } from './errors.js';
import { checkJava, type JavaInfo } from './java.js';
import { ensureKafkaJars, type KafkaDistribution } from './jars.js';
import { readSince, summarizeLog, tailFile } from './logs.js';
import { tryListBrokerIds, warmUpProducerIds } from './probe.js';
import {
  canConnect,
  isAlive,
  isOurBroker,
  isPortFree,
  signal,
  sleep,
  waitUntil,
} from './processes.js';
import { brokerProperties, renderProperties } from './properties.js';
import { localSecurity, newLocalSasl, scramFormatArgs, type LocalSasl } from './sasl.js';

/** Bounded so three nodes fit on a laptop next to the services (~0.5–0.7 GB RSS each). */
const BROKER_JVM_OPTS = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
];
const TOOL_JVM_OPTS = ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-Djava.awt.headless=true'];
export const DEFAULT_STOP_GRACE_MS = 20_000;
const NO_QUORUM_GRACE_MS = 3000;
const LOG_TAIL_LINES = 20;

/** `<dataDir>/cluster.json`: what the data dir was formatted for. */
export interface ClusterFile {
  kafkadog: 1;
  kafkaVersion: string;
  clusterId: string;
  nodes: number;
  basePort: number;
  host: string;
  createdAt: string;
  members: { id: number; clientPort: number; controllerPort: number; dir: string }[];
  /** Set when clients log in with SCRAM (`--sasl`): the user created when it was formatted. */
  sasl?: LocalSasl;
}

export interface NodeStatus {
  id: number;
  clientPort: number;
  controllerPort: number;
  /** Pid of our broker JVM for this node, when it runs. */
  pid: number | undefined;
  running: boolean;
  /** Whether a TCP connect to the client port succeeds (whoever listens there). */
  portOpen: boolean;
  logFile: string;
  note?: string;
}

export interface ClusterStatus {
  dataDir: string;
  /** Undefined when the data dir holds no cluster yet. */
  cluster: ClusterFile | undefined;
  nodes: NodeStatus[];
}

export interface StartOptions {
  settings: Settings;
  logger: Logger;
  /** Start only these node ids (the others must already run or will be waited for). */
  only?: readonly number[];
  readyTimeoutMs?: number;
  env?: Env;
}

export interface StartResult {
  kafkaVersion: string;
  clusterId: string;
  dataDir: string;
  brokers: string[];
  nodes: NodeStatus[];
  /** Node ids this call started; empty when everything already ran. */
  started: number[];
  /** From the call to every broker listed by the metadata. */
  elapsedMs: number;
  /** The SCRAM user clients log in as, when the cluster was formatted with `--sasl`. */
  sasl: LocalSasl | undefined;
}

export interface StopOptions {
  settings: Settings;
  logger: Logger;
  only?: readonly number[];
  /** How long SIGTERM gets before SIGKILL. */
  graceMs?: number;
  /** Delete the data dir afterwards (topics, offsets, cluster id): the next start formats anew. */
  wipe?: boolean;
}

export type StopOutcome = 'stopped' | 'killed' | 'not-running';

export interface StopResult {
  dataDir: string;
  found: boolean;
  nodes: { id: number; pid: number | undefined; outcome: StopOutcome }[];
  wiped: boolean;
}

export function clusterFilePath(dataDir: string): string {
  return path.join(dataDir, 'cluster.json');
}

export async function readClusterFile(dataDir: string): Promise<ClusterFile | undefined> {
  let text: string;
  try {
    text = await readFile(clusterFilePath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as ClusterFile;
  } catch (error) {
    throw new KafkadogError(
      'CLUSTER_MISMATCH',
      `${clusterFilePath(dataDir)} is not valid JSON: delete the data dir with \`npm run kafka:stop -- --wipe\` and start again.`,
      { cause: error },
    );
  }
}

/** What `kafka-storage.sh random-uuid` prints: 16 random bytes, base64url, never starting with '-'. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

interface Plan {
  nodes: number;
  basePort: number;
  layout: NodeLayout[];
  existing: ClusterFile | undefined;
}

const WIPE_HINT = '`npm run kafka:stop -- --wipe`';

/**
 * Decides the node count and ports: an explicit request must match what the data dir was
 * formatted for (a KRaft quorum cannot grow or shrink by editing properties).
 */
async function plan(settings: Settings): Promise<Plan> {
  const existing = await readClusterFile(settings.dataDir);
  if (existing) {
    if (settings.nodes !== undefined && settings.nodes !== existing.nodes) {
      throw new KafkadogError(
        'CLUSTER_MISMATCH',
        `The data dir ${settings.dataDir} holds a ${existing.nodes}-node cluster, not ${settings.nodes}: start it without --nodes, or delete it first with ${WIPE_HINT}.`,
      );
    }
    if (settings.sasl && !existing.sasl) {
      throw new KafkadogError(
        'CLUSTER_MISMATCH',
        `The data dir ${settings.dataDir} was formatted without SASL, and its SCRAM user can only be created when formatting: delete it first with ${WIPE_HINT}, or start it without --sasl.`,
      );
    }
    if (settings.basePortRequested && existing.basePort !== settings.basePort) {
      throw new KafkadogError(
        'CLUSTER_MISMATCH',
        `The data dir ${settings.dataDir} was set up for port ${existing.basePort}, not ${settings.basePort}: set KAFKADOG_KAFKA_PORT=${existing.basePort}, or delete it first with ${WIPE_HINT}.`,
      );
    }
    return {
      nodes: existing.nodes,
      basePort: existing.basePort,
      layout: clusterLayout(settings.dataDir, existing.basePort, existing.nodes),
      existing,
    };
  }
  if (await hasNodeDirs(settings.dataDir)) {
    throw new KafkadogError(
      'CLUSTER_MISMATCH',
      `The data dir ${settings.dataDir} has broker data but no cluster.json: delete it with ${WIPE_HINT} and start again.`,
    );
  }
  const nodes = settings.nodes ?? 1;
  return {
    nodes,
    basePort: settings.basePort,
    layout: clusterLayout(settings.dataDir, settings.basePort, nodes),
    existing: undefined,
  };
}

async function hasNodeDirs(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(dataDir)).some((entry) => /^node-\d+$/.test(entry));
  } catch {
    return false;
  }
}

async function readPid(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of this node's broker if it runs (read-only). */
async function ourPid(node: NodeLayout): Promise<number | undefined> {
  const pid = await readPid(node.pidFile);
  return pid !== undefined && (await isOurBroker(pid, node.propertiesFile)) ? pid : undefined;
}

/** The pid of this node's broker if it runs; a stale pid file is removed (and reported). */
async function runningPid(node: NodeLayout): Promise<{ pid: number | undefined; note?: string }> {
  const pid = await readPid(node.pidFile);
  if (pid === undefined) return { pid: undefined };
  if (await isOurBroker(pid, node.propertiesFile)) return { pid };
  await rm(node.pidFile, { force: true });
  return (await isAlive(pid))
    ? { pid: undefined, note: `stale pid file removed (pid ${pid} is another process now)` }
    : { pid: undefined };
}

async function nodeStatus(node: NodeLayout): Promise<NodeStatus> {
  const [{ pid, note }, portOpen] = await Promise.all([
    runningPid(node),
    canConnect(node.clientPort, HOST, 500),
  ]);
  const status: NodeStatus = {
    id: node.id,
    clientPort: node.clientPort,
    controllerPort: node.controllerPort,
    pid,
    running: pid !== undefined,
    portOpen,
    logFile: node.logFile,
  };
  if (note !== undefined) status.note = note;
  else if (pid === undefined && portOpen) {
    status.note = `port ${node.clientPort} answers, but not from this cluster's broker`;
  }
  return status;
}

export async function clusterStatus(settings: Settings): Promise<ClusterStatus> {
  const cluster = await readClusterFile(settings.dataDir);
  const layout = cluster
    ? clusterLayout(settings.dataDir, cluster.basePort, cluster.nodes)
    : clusterLayout(settings.dataDir, settings.basePort, settings.nodes ?? 1);
  return {
    dataDir: settings.dataDir,
    cluster,
    nodes: await Promise.all(layout.map(nodeStatus)),
  };
}

export async function startCluster(options: StartOptions): Promise<StartResult> {
  const { settings, logger, env = process.env } = options;
  const began = Date.now();
  const { nodes, basePort, layout, existing } = await plan(settings);
  const brokers = brokerAddresses(basePort, nodes);
  const wanted = options.only ?? layout.map((n) => n.id);
  const bad = wanted.find((id) => !Number.isInteger(id) || id < 1 || id > nodes);
  if (bad !== undefined) {
    throw new KafkadogError(
      'BAD_ARGS',
      `Node ${bad} does not exist: this cluster has nodes 1 to ${nodes}.`,
    );
  }
  const before = await Promise.all(layout.map(nodeStatus));
  const toStart = layout.filter((n) => wanted.includes(n.id) && !before[n.id - 1]?.running);
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000 + 15_000 * (nodes - 1);

  const expected = layout.filter((n) => before[n.id - 1]?.running || toStart.includes(n));

  const security = localSecurity(existing?.sasl);
  if (toStart.length === 0) {
    await waitReady({
      nodes: expected,
      children: new Map(),
      timeoutMs: readyTimeoutMs,
      logger,
      security,
    });
    return {
      kafkaVersion: existing?.kafkaVersion ?? KAFKA_VERSION,
      clusterId: existing?.clusterId ?? '',
      dataDir: settings.dataDir,
      brokers,
      nodes: await Promise.all(layout.map(nodeStatus)),
      started: [],
      elapsedMs: Date.now() - began,
      sasl: existing?.sasl,
    };
  }

  const java = await checkJava(env);
  const dist = await ensureKafkaJars({
    cacheDir: settings.cacheDir,
    version: KAFKA_VERSION,
    logger,
    env,
  });
  await checkPortsFree(toStart, layout, basePort);

  if (existing && existing.kafkaVersion !== KAFKA_VERSION) {
    logger.warn(
      `The data dir was created by Kafka ${existing.kafkaVersion}; starting it with ${KAFKA_VERSION}.`,
    );
  }
  const cluster =
    existing ??
    (await createClusterFile(
      settings.dataDir,
      nodes,
      basePort,
      layout,
      settings.sasl ? newLocalSasl(env) : undefined,
    ));
  const clusterSecurity = localSecurity(cluster.sasl);
  for (const node of toStart) {
    await mkdir(node.dataDir, { recursive: true });
    await mkdir(node.logsDir, { recursive: true });
    const properties = brokerProperties({
      nodeId: node.id,
      nodes,
      basePort,
      host: HOST,
      logDirs: node.dataDir,
      sasl: cluster.sasl,
    });
    await writeFile(
      node.propertiesFile,
      renderProperties(properties, [
        `Generated by kafkadog (scripts/kafka) for node ${node.id} of ${nodes}; rewritten on every start.`,
      ]),
    );
  }
  // Format only nodes never formatted before: that is what lets data survive stop and start.
  const unformatted: NodeLayout[] = [];
  for (const node of toStart) {
    if (!(await exists(path.join(node.dataDir, 'meta.properties')))) unformatted.push(node);
  }
  await Promise.all(
    unformatted.map((node) =>
      formatNode({
        java,
        dist,
        node,
        clusterId: cluster.clusterId,
        nodes,
        logger,
        sasl: cluster.sasl,
      }),
    ),
  );

  logger.info(
    toStart.length === 1 && nodes === 1
      ? `Starting Kafka ${KAFKA_VERSION} at ${HOST}:${basePort}…`
      : `Starting Kafka ${KAFKA_VERSION} node${toStart.length > 1 ? 's' : ''} ${toStart.map((n) => n.id).join(', ')} of ${nodes}…`,
  );
  const children = new Map<number, Spawned>();
  try {
    for (const node of toStart) children.set(node.id, await spawnBroker(java, dist, node, env));
    await waitReady({
      nodes: expected,
      children,
      timeoutMs: readyTimeoutMs,
      logger,
      security: clusterSecurity,
    });
    await Promise.all(
      toStart.map((node) =>
        warmUpProducerIds(`${HOST}:${node.clientPort}`, clusterSecurity).catch((error: unknown) =>
          logger.warn(
            `Node ${node.id} does not hand out producer ids yet (${(error as Error).message}); idempotent producers will retry.`,
          ),
        ),
      ),
    );
  } catch (error) {
    // Leave nothing half-started behind: the user fixes the cause and starts again.
    await stopNodes(
      toStart.filter((n) => children.has(n.id)),
      { graceMs: 5000, logger: { info: () => undefined, warn: (m) => logger.warn(m) } },
    );
    throw error;
  }
  return {
    kafkaVersion: KAFKA_VERSION,
    clusterId: cluster.clusterId,
    dataDir: settings.dataDir,
    brokers,
    nodes: await Promise.all(layout.map(nodeStatus)),
    started: toStart.map((n) => n.id),
    elapsedMs: Date.now() - began,
    sasl: cluster.sasl,
  };
}

async function createClusterFile(
  dataDir: string,
  nodes: number,
  basePort: number,
  layout: readonly NodeLayout[],
  sasl: LocalSasl | undefined,
): Promise<ClusterFile> {
  const cluster: ClusterFile = {
    kafkadog: 1,
    kafkaVersion: KAFKA_VERSION,
    clusterId: newClusterId(),
    nodes,
    basePort,
    host: HOST,
    createdAt: new Date().toISOString(),
    members: layout.map((n) => ({
      id: n.id,
      clientPort: n.clientPort,
      controllerPort: n.controllerPort,
      dir: n.dir,
    })),
    ...(sasl ? { sasl } : {}),
  };
  await mkdir(dataDir, { recursive: true });
  // Readable by its owner only: it may hold the SCRAM user's password.
  await writeFile(clusterFilePath(dataDir), `${JSON.stringify(cluster, null, 2)}\n`, {
    mode: 0o600,
  });
  return cluster;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function checkPortsFree(
  toStart: readonly NodeLayout[],
  layout: readonly NodeLayout[],
  basePort: number,
): Promise<void> {
  for (const node of toStart) {
    for (const [port, kind] of [
      [node.clientPort, 'client'],
      [node.controllerPort, 'controller'],
    ] as const) {
      if (await isPortFree(port, HOST)) continue;
      const free = await suggestBasePort(basePort, layout.length);
      throw new KafkadogError(
        'PORT_IN_USE',
        `Port ${port} (node ${node.id} ${kind} port) is already in use by another process: stop it, or use other ports${free === undefined ? '' : `, e.g. KAFKADOG_KAFKA_PORT=${free} npm run kafka:start`}.`,
      );
    }
  }
}

async function suggestBasePort(basePort: number, nodes: number): Promise<number | undefined> {
  try {
    return await findFreeBasePort({ nodes, from: basePort + 100, step: 100, attempts: 20 });
  } catch {
    return undefined;
  }
}

/**
 * A base port whose client and controller ports are all free for `nodes` nodes, e.g. for a
 * test's throwaway cluster. Free now is not reserved: start the cluster right away.
 */
export async function findFreeBasePort(
  options: { nodes?: number; from?: number; step?: number; attempts?: number } = {},
): Promise<number> {
  const { nodes = 1, from = 29092, step = 2 * nodes, attempts = 200 } = options;
  for (let i = 0, candidate = from; i < attempts; i++, candidate += step) {
    if (candidate + 2 * nodes > 65535) break;
    let free = true;
    for (let id = 1; id <= nodes && free; id++) {
      const ports = nodePorts(candidate, id);
      free = (await isPortFree(ports.client, HOST)) && (await isPortFree(ports.controller, HOST));
    }
    if (free) return candidate;
  }
  throw new KafkadogError(
    'PORT_IN_USE',
    `No ${2 * nodes} free ports found from ${from} on ${HOST}: free some ports or pick another base port.`,
  );
}

function jvmArgs(base: readonly string[], dist: KafkaDistribution, node: NodeLayout): string[] {
  return [
    ...base,
    `-Dkafka.logs.dir=${node.logsDir}`,
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
    '-cp',
    dist.classpath,
  ];
}

async function formatNode(options: {
  java: JavaInfo;
  dist: KafkaDistribution;
  node: NodeLayout;
  clusterId: string;
  nodes: number;
  logger: Logger;
  sasl: LocalSasl | undefined;
}): Promise<void> {
  const { java, dist, node, clusterId, nodes, logger, sasl } = options;
  const args = [
    ...jvmArgs(TOOL_JVM_OPTS, dist, node),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    node.propertiesFile,
    // One node bootstraps a dynamic quorum of itself; several share a static voter list.
    ...(nodes === 1 ? ['--standalone'] : []),
    // SCRAM credentials live in the cluster metadata; formatting is when a new cluster gets them.
    ...(sasl ? scramFormatArgs(sasl) : []),
  ];
  logger.info(`Formatting KRaft storage for node ${node.id} (cluster id ${clusterId})…`);
  try {
    await promisify(execFile)(java.executable, args, { timeout: 120_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-LOG_TAIL_LINES).join('\n');
    throw new KafkadogError(
      'FORMAT_FAILED',
      `Formatting the storage of node ${node.id} failed (output below): if the data dir is damaged, delete it with ${WIPE_HINT}.`,
      { cause: error, details: output },
    );
  }
}

interface Spawned {
  child: ChildProcess;
  /** server.log's size before this start: what follows is this start's output. */
  logOffset: number;
}

async function spawnBroker(
  java: JavaInfo,
  dist: KafkaDistribution,
  node: NodeLayout,
  env: Env,
): Promise<Spawned> {
  const logOffset = await stat(node.logFile).then(
    (s) => s.size,
    () => 0,
  );
  const out = openSync(node.consoleFile, 'a');
  let child: ChildProcess;
  try {
    // Detached: its own process group, so Ctrl+C in this terminal or the end of `npm run`
    // does not take the broker down.
    child = spawn(
      java.executable,
      [...jvmArgs(BROKER_JVM_OPTS, dist, node), 'kafka.Kafka', node.propertiesFile],
      { cwd: node.dir, detached: true, stdio: ['ignore', out, out], env: { ...env } },
    );
  } finally {
    closeSync(out);
  }
  child.unref();
  if (child.pid === undefined) {
    throw new KafkadogError(
      'BROKER_EXITED',
      `Could not start ${java.executable} for node ${node.id}: check your Java install.`,
    );
  }
  await writeFile(node.pidFile, `${child.pid}\n`);
  return { child, logOffset };
}

interface ReadyOptions {
  /** The nodes that must serve clients: those already running plus those just started. */
  nodes: readonly NodeLayout[];
  /** Processes this call spawned: their exit during startup is a failure to report. */
  children: ReadonlyMap<number, Spawned>;
  timeoutMs: number;
  logger: Logger;
  /** How the probes log in (a `--sasl` cluster's user). */
  security: KafkaSecurity;
}

/** Ready = every client port accepts TCP and the metadata lists every one of these brokers. */
async function waitReady(options: ReadyOptions): Promise<void> {
  const { nodes, children, timeoutMs, logger } = options;
  const brokers = nodes.map((n) => `${HOST}:${n.clientPort}`);
  const deadline = Date.now() + timeoutMs;
  const exits = new Map<number, string>();
  for (const [id, { child }] of children) {
    const record = (code: number | null, sig: NodeJS.Signals | null) =>
      exits.set(id, sig ? `signal ${sig}` : `exit code ${String(code)}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      record(child.exitCode, child.signalCode);
    } else {
      child.once('exit', record);
    }
  }
  let lastHeartbeat = Date.now();
  let listed: number[] | undefined;
  for (;;) {
    for (const node of nodes) {
      const exit = exits.get(node.id);
      if (exit !== undefined) await brokerExited(node, exit, children.get(node.id)?.logOffset);
      if (!children.has(node.id) && (await runningPid(node)).pid === undefined) {
        await brokerExited(node, 'it stopped while we waited');
      }
    }
    const open = await Promise.all(nodes.map((n) => canConnect(n.clientPort, HOST, 1000)));
    if (open.every(Boolean)) {
      listed = await tryListBrokerIds(brokers, 5000, options.security);
      if (listed && nodes.every((n) => listed?.includes(n.id))) return;
    }
    const closed = nodes.filter((_, i) => !open[i]);
    if (Date.now() >= deadline) {
      const node = closed[0] ?? nodes[0];
      const report = node && (await startupReport(node, children.get(node.id)?.logOffset));
      throw new KafkadogError(
        'READY_TIMEOUT',
        closed.length > 0
          ? `Kafka node ${node?.id} did not open port ${node?.clientPort} within ${formatDuration(timeoutMs)}: ${diagnose(report?.text ?? '')} (log above, full log ${node?.logFile}).`
          : `The metadata listed brokers [${(listed ?? []).join(', ')}], not all of [${nodes.map((n) => n.id).join(', ')}], after ${formatDuration(timeoutMs)}: check the logs (${nodes.map((n) => n.logFile).join(', ')}).`,
        { details: report?.details },
      );
    }
    if (Date.now() - lastHeartbeat >= 10_000) {
      lastHeartbeat = Date.now();
      logger.info(
        closed.length > 0
          ? `  …waiting for port${closed.length > 1 ? 's' : ''} ${closed.map((n) => n.clientPort).join(', ')}`
          : `  …waiting for all ${nodes.length} brokers to appear in the metadata`,
      );
    }
    await sleep(250);
  }
}

async function brokerExited(node: NodeLayout, exit: string, offset?: number): Promise<never> {
  await rm(node.pidFile, { force: true });
  const report = await startupReport(node, offset);
  throw new KafkadogError(
    'BROKER_EXITED',
    `Kafka node ${node.id} exited during startup (${exit}): ${diagnose(report.text)} (log above, full log ${node.logFile}).`,
    { details: report.details },
  );
}

/** Names the fix for the startup failures a learner is likely to meet. */
export function diagnose(logText: string): string {
  if (/No `?meta\.properties`? found|is not formatted/i.test(logText)) {
    return `its storage is not formatted: delete the data dir with ${WIPE_HINT} and start again`;
  }
  if (/Failed to acquire lock/i.test(logText)) {
    return 'another process (a second Kafka?) uses its data dir: stop that process first';
  }
  if (/Address already in use|BindException/i.test(logText)) {
    return 'a port it needs is taken: free it, or set KAFKADOG_KAFKA_PORT to another base port';
  }
  if (/Invalid cluster\.id|cluster ?ID .* (doesn't|does not) match/i.test(logText)) {
    return `its data belongs to another cluster: delete the data dir with ${WIPE_HINT}`;
  }
  if (/OutOfMemoryError|Could not reserve enough space|Cannot allocate memory/i.test(logText)) {
    return 'the JVM ran out of memory: close other programs or run fewer nodes';
  }
  if (/UnsupportedClassVersionError/.test(logText)) {
    return 'your Java is too old for Kafka 4: install Java 17 or newer';
  }
  return `fix what the log says, or delete the data dir with ${WIPE_HINT} and start again`;
}

/**
 * What to show when a node fails to start: its log since `offset` (the size before this start)
 * summarised as errors plus tail, then the JVM console output if there is any.
 */
async function startupReport(
  node: NodeLayout,
  offset = 0,
): Promise<{ text: string; details: string }> {
  const text = await readSince(node.logFile, offset);
  const summary = summarizeLog(text, { tailLines: LOG_TAIL_LINES });
  // With the errors shown, a shorter tail is enough context.
  const tail = summary.errors.length > 0 ? summary.tail.slice(-10) : summary.tail;
  const console = await tailFile(node.consoleFile, 10);
  const parts: string[] = [];
  if (summary.errors.length > 0) parts.push(`--- ${node.logFile}: errors`, ...summary.errors);
  if (tail.length > 0) parts.push(`--- ${node.logFile}: last ${tail.length} lines`, ...tail);
  if (console.length > 0) {
    parts.push(`--- ${node.consoleFile}: last ${console.length} lines`, ...console);
  }
  return {
    text: `${text}\n${console.join('\n')}`,
    details: parts.length > 0 ? parts.join('\n') : `(${node.logFile} is empty)`,
  };
}

export async function stopCluster(options: StopOptions): Promise<StopResult> {
  const { settings, logger } = options;
  const cluster = await readClusterFile(settings.dataDir);
  let nodes: StopResult['nodes'] = [];
  if (cluster) {
    const layout = clusterLayout(settings.dataDir, cluster.basePort, cluster.nodes);
    const selected = options.only ? layout.filter((n) => options.only?.includes(n.id)) : layout;
    let graceMs = options.graceMs ?? DEFAULT_STOP_GRACE_MS;
    // A controlled shutdown needs an active controller, i.e. a majority of the voters. Without
    // one it waits forever, so don't make the user wait the whole grace period for nothing.
    const running = (await Promise.all(layout.map(ourPid))).filter(Boolean).length;
    if (cluster.nodes > 1 && running > 0 && running < Math.floor(cluster.nodes / 2) + 1) {
      graceMs = Math.min(graceMs, NO_QUORUM_GRACE_MS);
      logger.warn(
        `Only ${running} of ${cluster.nodes} nodes run, too few for a controller quorum: a clean shutdown cannot finish, so ${running === 1 ? 'it gets' : 'they get'} ${formatDuration(graceMs)} before SIGKILL.`,
      );
    }
    nodes = await stopNodes(selected, { graceMs, logger });
  }
  let wiped = false;
  if (options.wipe) {
    wiped = await wipeDataDir(settings.dataDir, cluster !== undefined);
  }
  return { dataDir: settings.dataDir, found: cluster !== undefined, nodes, wiped };
}

/**
 * SIGTERM all nodes at once (each does a controlled shutdown while the quorum is still up),
 * then SIGKILL whatever is left after the grace period: the last nodes of a cluster can wait
 * minutes for a controller that is already gone.
 */
async function stopNodes(
  layout: readonly NodeLayout[],
  options: { graceMs: number; logger: Logger; signal?: NodeJS.Signals },
): Promise<StopResult['nodes']> {
  const { graceMs, logger } = options;
  const results: StopResult['nodes'] = [];
  const targets: { node: NodeLayout; pid: number; since: number }[] = [];
  for (const node of layout) {
    const { pid, note } = await runningPid(node);
    if (note) logger.warn(`Node ${node.id}: ${note}.`);
    if (pid === undefined) {
      results.push({ id: node.id, pid: undefined, outcome: 'not-running' });
      continue;
    }
    logger.info(
      `${options.signal === 'SIGKILL' ? 'Killing' : 'Stopping'} Kafka node ${node.id} (pid ${pid}, port ${node.clientPort})…`,
    );
    signal(pid, options.signal ?? 'SIGTERM');
    targets.push({ node, pid, since: Date.now() });
  }
  await Promise.all(
    targets.map(async ({ node, pid, since }) => {
      const stopped = await waitUntil(async () => !(await isAlive(pid)), {
        timeoutMs: options.signal === 'SIGKILL' ? 10_000 : graceMs,
      });
      if (stopped) {
        logger.info(
          `Kafka node ${node.id} ${options.signal === 'SIGKILL' ? 'killed' : 'stopped'} (${formatDuration(Date.now() - since)}).`,
        );
        results.push({
          id: node.id,
          pid,
          outcome: options.signal === 'SIGKILL' ? 'killed' : 'stopped',
        });
      } else {
        logger.warn(
          `Kafka node ${node.id} did not stop within ${formatDuration(graceMs)}: killing it (SIGKILL).`,
        );
        signal(pid, 'SIGKILL');
        await waitUntil(async () => !(await isAlive(pid)), { timeoutMs: 10_000 });
        results.push({ id: node.id, pid, outcome: 'killed' });
      }
      await rm(node.pidFile, { force: true });
    }),
  );
  return results.sort((a, b) => a.id - b.id);
}

/** Simulates a crash of one node: SIGKILL, no controlled shutdown. */
export async function killNodeProcess(settings: Settings, id: number, logger: Logger) {
  const cluster = await readClusterFile(settings.dataDir);
  if (!cluster) {
    throw new KafkadogError('BAD_ARGS', `No cluster in ${settings.dataDir}: start one first.`);
  }
  const node = clusterLayout(settings.dataDir, cluster.basePort, cluster.nodes).find(
    (n) => n.id === id,
  );
  if (!node) {
    throw new KafkadogError(
      'BAD_ARGS',
      `Node ${id} does not exist: this cluster has nodes 1 to ${cluster.nodes}.`,
    );
  }
  const [result] = await stopNodes([node], { graceMs: 0, logger, signal: 'SIGKILL' });
  return result;
}

async function wipeDataDir(dataDir: string, hasClusterFile: boolean): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch {
    return false;
  }
  // KAFKADOG_DATA_DIR may point anywhere; only ever delete a directory that is ours.
  const ours = hasClusterFile || entries.every((e) => /^node-\d+$/.test(e) || e === 'cluster.json');
  if (!ours) {
    throw new KafkadogError(
      'UNSAFE_WIPE',
      `Not deleting ${dataDir}: it has no cluster.json, so it may not be a kafkadog data dir; delete it yourself if you are sure.`,
    );
  }
  const cluster = await readClusterFile(dataDir);
  if (cluster) {
    const layout = clusterLayout(dataDir, cluster.basePort, cluster.nodes);
    const running = (await Promise.all(layout.map(runningPid))).filter((r) => r.pid !== undefined);
    if (running.length > 0) {
      throw new KafkadogError(
        'UNSAFE_WIPE',
        `Not deleting ${dataDir}: a broker still runs there; run \`npm run kafka:stop\` first.`,
      );
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  return true;
}
