/**
 * Programmatic control of kafkadog's local Kafka, for `npm start`, the CLI in scripts/kafka.ts
 * and test setups. Every function takes the same options: node count, base port, data dir
 * and cache dir, each defaulting to its environment variable and then to kafkadog's default.
 */
import {
  isAuthenticationError,
  loginRefused,
  processKafkaSecurity,
  SECURITY_VARIABLES,
} from './client.js';
import { consoleLogger, type Logger } from '../lib/log.js';
import {
  clusterStatus as readStatus,
  findFreeBasePort,
  killNodeProcess,
  startCluster,
  stopCluster as stopLocal,
  type ClusterStatus,
  type StartResult,
  type StopResult,
} from './cluster.js';
import { resolveSettings, type Env, type Settings, type SettingsInput } from './config.js';
import { KafkadogError } from './errors.js';
import { listBrokerIds } from './probe.js';
import { sleep } from './processes.js';
import { connectionEnv, type LocalSasl } from './sasl.js';

export { KafkadogError, isKafkadogError, type KafkadogErrorCode } from './errors.js';
export {
  DEFAULT_BASE_PORT,
  HOST,
  KAFKA_VERSION,
  REPO_ROOT,
  brokerAddresses,
  nodePorts,
  resolveSettings,
  type Settings,
  type SettingsInput,
} from './config.js';
export type { ClusterFile, ClusterStatus, NodeStatus, StartResult, StopResult } from './cluster.js';
export { listBrokerIds } from './probe.js';
export { findFreeBasePort };
export { consoleLogger, silentLogger, type Logger } from '../lib/log.js';

export interface ClusterOptions extends SettingsInput {
  /** Progress and warnings; defaults to the console. Pass `silentLogger` from scripts/lib/log. */
  logger?: Logger;
  /** How long to wait for every broker to be listed in the metadata. */
  readyTimeoutMs?: number;
  env?: Env;
}

export interface ClusterHandle {
  /** Bootstrap addresses, `127.0.0.1:<port>` per node (or KAFKA_BROKERS). */
  readonly brokers: string[];
  /** True when this call started at least one broker; false if all ran already or external. */
  readonly startedByUs: boolean;
  /** True when KAFKA_BROKERS (or `brokers`) named a cluster kafkadog does not manage. */
  readonly external: boolean;
  /** The local cluster's data dir; undefined for an external cluster. */
  readonly dataDir: string | undefined;
  readonly result: StartResult | undefined;
  /**
   * KAFKA_SASL_* and KAFKA_TLS* for this cluster's clients: a local cluster's login, and the
   * other variables emptied (a managed cluster's settings in the shell do not apply to it);
   * nothing for an external cluster, whose settings are the environment's. `useCluster` applies it.
   */
  readonly env: Record<string, string>;
  /**
   * Stops the brokers this call started (SIGTERM, then SIGKILL after 20 s); else a no-op.
   * `wipe` then deletes the data dir too (for a test's throwaway cluster).
   */
  stop(options?: { wipe?: boolean }): Promise<void>;
}

function settingsOf(options: ClusterOptions): Settings {
  return resolveSettings(options, options.env ?? process.env);
}

/**
 * Returns a ready cluster: the external one when KAFKA_BROKERS is set (checked to answer), the
 * local one if it already runs, else starts it (downloading Kafka on the very first run) and
 * waits until the metadata lists every broker.
 */
export async function ensureCluster(options: ClusterOptions = {}): Promise<ClusterHandle> {
  const settings = settingsOf(options);
  const logger = options.logger ?? consoleLogger;
  if (settings.externalBrokers) {
    const brokers = [...settings.externalBrokers];
    await checkExternal(brokers, options.readyTimeoutMs ?? 10_000);
    return {
      brokers,
      startedByUs: false,
      external: true,
      dataDir: undefined,
      result: undefined,
      env: {},
      stop: () => Promise.resolve(),
    };
  }
  const result = await startCluster({
    settings,
    logger,
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  return {
    brokers: result.brokers,
    startedByUs: result.started.length > 0,
    external: false,
    dataDir: result.dataDir,
    result,
    env: securityEnv(result.sasl),
    stop: async ({ wipe = false } = {}) => {
      if (result.started.length === 0) return;
      await stopLocal({ settings, logger, only: result.started, wipe });
    },
  };
}

/** A local cluster's KAFKA_SASL_* and KAFKA_TLS*: its login if any, the rest emptied. */
export function securityEnv(sasl: LocalSasl | undefined): Record<string, string> {
  const { KAFKA_BROKERS: _brokers, ...login } = connectionEnv([], sasl);
  return { ...Object.fromEntries(SECURITY_VARIABLES.map((name) => [name, ''])), ...login };
}

/**
 * Points this process's Kafka clients, and every process it starts from process.env, at the
 * cluster: its login (KAFKA_SASL_*, KAFKA_TLS*). KAFKA_BROKERS is left alone.
 */
export function useCluster(cluster: Pick<ClusterHandle, 'env'>): void {
  Object.assign(process.env, cluster.env);
}

/** Stops every node of the local cluster; `wipe` then deletes its data dir. */
export async function stopCluster(
  options: ClusterOptions & { wipe?: boolean; graceMs?: number } = {},
): Promise<StopResult> {
  const settings = settingsOf(options);
  if (settings.externalBrokers) {
    throw new KafkadogError(
      'EXTERNAL_CLUSTER',
      'KAFKA_BROKERS is set: kafkadog does not stop a cluster it did not start; unset it to manage the local one.',
    );
  }
  return stopLocal({
    settings,
    logger: options.logger ?? consoleLogger,
    wipe: options.wipe ?? false,
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
  });
}

export async function clusterStatus(options: ClusterOptions = {}): Promise<ClusterStatus> {
  return readStatus(settingsOf(options));
}

/** Starts node `id` of an existing local cluster (e.g. after killNode) and waits until listed. */
export async function startNode(id: number, options: ClusterOptions = {}): Promise<StartResult> {
  const settings = settingsOf(options);
  return startCluster({
    settings: { ...settings, nodes: undefined },
    logger: options.logger ?? consoleLogger,
    only: [id],
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}

/** Gracefully stops node `id` (SIGTERM, then SIGKILL after the grace period). */
export async function stopNode(
  id: number,
  options: ClusterOptions & { graceMs?: number } = {},
): Promise<StopResult> {
  return stopLocal({
    settings: settingsOf(options),
    logger: options.logger ?? consoleLogger,
    only: [id],
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
  });
}

/** Crashes node `id` on purpose: SIGKILL, no controlled shutdown (as `kill -9` would). */
export async function killNode(
  id: number,
  options: ClusterOptions = {},
): Promise<StopResult['nodes'][number] | undefined> {
  return killNodeProcess(settingsOf(options), id, options.logger ?? consoleLogger);
}

async function checkExternal(brokers: readonly string[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await listBrokerIds(brokers, 5000);
    } catch (error) {
      if (isAuthenticationError(error)) {
        throw new KafkadogError(
          'EXTERNAL_CLUSTER',
          `${loginRefused(brokers.join(','), processKafkaSecurity(), error).message}.`,
        );
      }
      lastError = error;
      await sleep(500);
    }
  }
  throw new KafkadogError(
    'EXTERNAL_CLUSTER',
    `KAFKA_BROKERS=${brokers.join(',')} does not answer: start that cluster, or unset KAFKA_BROKERS to let kafkadog run a local one.`,
    { cause: lastError },
  );
}
