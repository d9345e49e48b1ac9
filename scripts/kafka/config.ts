import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { KafkadogError } from './errors.js';

/** The broker every local cluster runs. Bump it here and nowhere else. */
export const KAFKA_VERSION = '4.2.2';
export const SCALA_VERSION = '2.13';
/** Bind and advertise loopback only: a teaching cluster must not be reachable from the network. */
export const HOST = '127.0.0.1';
export const DEFAULT_BASE_PORT = 9092;
export const MAX_NODES = 5;
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const LOG4J_CONFIG = path.join(import.meta.dirname, 'log4j2.yaml');

export interface NodeLayout {
  /** KRaft node.id, 1-based. */
  readonly id: number;
  readonly clientPort: number;
  readonly controllerPort: number;
  readonly dir: string;
  readonly dataDir: string;
  readonly logsDir: string;
  /** Written by log4j (our log4j2.yaml). */
  readonly logFile: string;
  /** The JVM's own stdout/stderr: crashes before log4j is up (bad flags, OOM) land here. */
  readonly consoleFile: string;
  readonly propertiesFile: string;
  readonly pidFile: string;
}

/** Node i (1..N) listens for clients on base + 2(i-1) and for controllers on the port after. */
export function nodePorts(basePort: number, id: number): { client: number; controller: number } {
  const client = basePort + 2 * (id - 1);
  return { client, controller: client + 1 };
}

export function nodeLayout(clusterDir: string, basePort: number, id: number): NodeLayout {
  const dir = path.join(clusterDir, `node-${id}`);
  const ports = nodePorts(basePort, id);
  const logsDir = path.join(dir, 'logs');
  return {
    id,
    clientPort: ports.client,
    controllerPort: ports.controller,
    dir,
    dataDir: path.join(dir, 'data'),
    logsDir,
    logFile: path.join(logsDir, 'server.log'),
    consoleFile: path.join(logsDir, 'console.log'),
    propertiesFile: path.join(dir, 'server.properties'),
    pidFile: path.join(dir, 'kafka.pid'),
  };
}

export function clusterLayout(clusterDir: string, basePort: number, nodes: number): NodeLayout[] {
  return Array.from({ length: nodes }, (_, i) => nodeLayout(clusterDir, basePort, i + 1));
}

export function brokerAddresses(basePort: number, nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `${HOST}:${nodePorts(basePort, i + 1).client}`);
}

export interface SettingsInput {
  /** Node count; undefined means "what the data dir was formatted for, else 1". */
  nodes?: number | undefined;
  basePort?: number | undefined;
  dataDir?: string | undefined;
  cacheDir?: string | undefined;
  /** An existing cluster (`host:port,...`); defaults to env KAFKA_BROKERS. */
  brokers?: string | readonly string[] | undefined;
  /** A new cluster's clients log in with SCRAM (`--sasl`); an existing one stays as formatted. */
  sasl?: boolean | undefined;
}

export interface Settings {
  readonly nodes: number | undefined;
  /** The base port for a new cluster; an existing data dir keeps the one it was set up with. */
  readonly basePort: number;
  /** Whether basePort was asked for (option or KAFKADOG_KAFKA_PORT) rather than defaulted. */
  readonly basePortRequested: boolean;
  readonly dataDir: string;
  readonly cacheDir: string;
  /** Set when KAFKA_BROKERS (or `brokers`) points at a cluster we must not manage. */
  readonly externalBrokers: readonly string[] | undefined;
  /** Whether a SASL (SCRAM) client listener was asked for. */
  readonly sasl: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function resolveSettings(input: SettingsInput = {}, env: Env = process.env): Settings {
  const cacheDir = path.resolve(input.cacheDir ?? env.KAFKADOG_CACHE ?? defaultCacheDir(env));
  const basePort =
    input.basePort ??
    (env.KAFKADOG_KAFKA_PORT
      ? parsePort(env.KAFKADOG_KAFKA_PORT, 'KAFKADOG_KAFKA_PORT')
      : DEFAULT_BASE_PORT);
  checkBasePort(basePort, 'basePort');
  if (input.nodes !== undefined) checkNodeCount(input.nodes);
  const dataDir = path.resolve(
    input.dataDir ?? env.KAFKADOG_DATA_DIR ?? defaultDataDir(cacheDir, basePort),
  );
  const brokers = input.brokers ?? env.KAFKA_BROKERS;
  const externalBrokers =
    brokers === undefined || brokers.length === 0
      ? undefined
      : typeof brokers === 'string'
        ? parseBrokerList(brokers, 'KAFKA_BROKERS')
        : brokers;
  const basePortRequested = input.basePort !== undefined || Boolean(env.KAFKADOG_KAFKA_PORT);
  return {
    nodes: input.nodes,
    basePort,
    basePortRequested,
    dataDir,
    cacheDir,
    externalBrokers,
    sasl: input.sasl ?? false,
  };
}

export function defaultCacheDir(env: Env = process.env): string {
  return env.XDG_CACHE_HOME
    ? path.join(env.XDG_CACHE_HOME, 'kafkadog')
    : path.join(homedir(), '.cache', 'kafkadog');
}

/**
 * One cluster per checkout (two clones never share topics) and per base port (a test cluster
 * on other ports never reuses the user's data), kept outside the repo so `git clean` and
 * file watchers never see broker files.
 */
export function defaultDataDir(
  cacheDir: string,
  basePort: number,
  repoRoot: string = REPO_ROOT,
): string {
  const hash = createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);
  const name = path.basename(repoRoot).replace(/[^A-Za-z0-9._-]/g, '_') || 'repo';
  const suffix = basePort === DEFAULT_BASE_PORT ? '' : `-${basePort}`;
  return path.join(cacheDir, 'clusters', `${name}-${hash}${suffix}`);
}

export function parsePort(value: string, name: string): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  checkBasePort(port, name, value);
  return port;
}

function checkBasePort(port: number, name: string, raw: string = String(port)): void {
  const max = 65535 - 2 * MAX_NODES;
  if (!Number.isInteger(port) || port < 1024 || port > max) {
    throw new KafkadogError(
      'BAD_CONFIG',
      `${name} must be a port number between 1024 and ${max} (got "${raw}"), e.g. ${name}=29092.`,
    );
  }
}

export function checkNodeCount(nodes: number): void {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new KafkadogError(
      'BAD_ARGS',
      `--nodes must be a whole number from 1 to ${MAX_NODES} (got ${String(nodes)}); use 1 or 3.`,
    );
  }
}

export function parseBrokerList(value: string, name: string): string[] {
  const brokers = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[^\]]+\]:\d{1,5}$/.test(b));
  if (brokers.length === 0 || bad !== undefined) {
    throw new KafkadogError(
      'BAD_CONFIG',
      `${name} must be a comma-separated list of host:port (got "${value}"), e.g. ${name}=localhost:9092.`,
    );
  }
  return brokers;
}
