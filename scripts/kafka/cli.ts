import path from 'node:path';
import { consoleLogger, formatDuration, printError } from '../lib/log.js';
import { parseCliArgs, HELP, type CliArgs } from './args.js';
import { clusterStatus, startCluster, stopCluster, type NodeStatus } from './cluster.js';
import { clusterLayout, HOST, resolveSettings, type Settings } from './config.js';
import { isKafkadogError, KafkadogError } from './errors.js';
import { followFiles, tailFile } from './logs.js';
import { isAuthenticationError, loginRefused, processKafkaSecurity } from './client.js';
import { listBrokerIds, tryListBrokerIds } from './probe.js';
import { connectionEnv, localSecurity, type LocalSasl } from './sasl.js';

const log = consoleLogger;

/** `npm run kafka:<command>`: a thin layer over cluster.ts. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.help || !args.command) {
      process.stdout.write(HELP);
      return 0;
    }
    const settings = resolveSettings({ nodes: args.nodes, sasl: args.sasl });
    if (settings.externalBrokers) return await external(args, settings.externalBrokers);
    switch (args.command) {
      case 'start':
        return await start(settings);
      case 'stop':
        return await stop(settings, args);
      case 'status':
        return await status(settings);
      case 'logs':
        return await logs(settings, args);
    }
  } catch (error) {
    if (isKafkadogError(error)) {
      printError(error.message, error.details);
    } else if ((error as { code?: unknown }).code === 'INVALID_CONFIG') {
      // KAFKA_SASL_* or KAFKA_TLS* (read by the Kafka library): the message names the variable.
      printError(`${(error as Error).message}.`);
    } else {
      printError(
        `Unexpected error: ${(error as Error).message ?? String(error)}`,
        process.env.KAFKADOG_DEBUG ? (error as Error).stack : undefined,
      );
    }
    return 1;
  }
}

async function start(settings: Settings): Promise<number> {
  const result = await startCluster({ settings, logger: log });
  const nodes = result.nodes;
  const where = result.brokers.join(',');
  if (result.started.length === 0) {
    log.info(
      nodes.length === 1
        ? `Kafka already running at ${where} (pid ${nodes[0]?.pid}); nothing to do.`
        : `Kafka cluster of ${nodes.length} nodes already running at ${where} (pids ${nodes.map((n) => n.pid).join(', ')}); nothing to do.`,
    );
    printLogin(result.brokers, result.sasl);
    return 0;
  }
  const restarted =
    result.started.length < nodes.length ? ` (started node ${result.started.join(', ')})` : '';
  log.info(
    nodes.length === 1
      ? `Kafka ${result.kafkaVersion} ready at ${where} in ${formatDuration(result.elapsedMs)}`
      : `Kafka ${result.kafkaVersion} cluster of ${nodes.length} nodes ready at ${where} in ${formatDuration(result.elapsedMs)}${restarted}`,
  );
  log.info(
    `  logs:  ${nodes.length === 1 ? nodes[0]?.logFile : path.join(result.dataDir, 'node-*', 'logs', 'server.log')}  (npm run kafka:logs)`,
  );
  log.info(`  data:  ${result.dataDir}`);
  log.info('  stop:  npm run kafka:stop');
  printLogin(result.brokers, result.sasl);
  return 0;
}

/** A SASL cluster: the variables a script or a service run by hand needs (npm start sets them). */
function printLogin(brokers: readonly string[], sasl: LocalSasl | undefined): void {
  if (!sasl) return;
  log.info(`  login: SCRAM-SHA-256 or SCRAM-SHA-512 as "${sasl.username}"; to connect, set`);
  for (const [name, value] of Object.entries(connectionEnv(brokers, sasl))) {
    log.info(`    export ${name}=${value}`);
  }
}

async function stop(settings: Settings, args: CliArgs): Promise<number> {
  const result = await stopCluster({
    settings,
    logger: log,
    wipe: args.wipe,
    ...(args.node === undefined ? {} : { only: [args.node] }),
  });
  if (!result.found) {
    log.info(`No local Kafka cluster in ${result.dataDir}; nothing to stop.`);
  } else if (result.nodes.every((n) => n.outcome === 'not-running')) {
    log.info(
      args.node === undefined
        ? `Kafka is not running (data dir ${result.dataDir}).`
        : `Kafka node ${args.node} is not running.`,
    );
  }
  if (result.wiped) {
    log.info(`Deleted ${result.dataDir}: the next kafka:start formats a fresh, empty cluster.`);
  }
  return 0;
}

async function status(settings: Settings): Promise<number> {
  const { cluster, nodes, dataDir } = await clusterStatus(settings);
  if (!cluster) {
    log.info(`No local Kafka cluster in ${dataDir} yet: start one with \`npm run kafka:start\`.`);
    return 0;
  }
  const running = nodes.filter((n) => n.running).length;
  log.info(
    `Kafka ${cluster.kafkaVersion}, ${cluster.nodes}-node cluster ${cluster.clusterId}: ${running} of ${nodes.length} running`,
  );
  for (const node of nodes) log.info(`  ${describeNode(node)}`);
  if (running > 0) {
    const listed = await tryListBrokerIds(
      nodes.filter((n) => n.running).map((n) => `${HOST}:${n.clientPort}`),
      3000,
      localSecurity(cluster.sasl),
    );
    log.info(
      listed
        ? `  metadata lists broker${listed.length === 1 ? '' : 's'} ${listed.join(', ')}`
        : '  metadata: no answer yet (still starting?)',
    );
  }
  if (cluster.sasl) log.info(`  login:  SCRAM (SASL_PLAINTEXT) as "${cluster.sasl.username}"`);
  log.info(`  data:   ${dataDir}`);
  return 0;
}

function describeNode(node: NodeStatus): string {
  const state = node.running ? `running  pid ${node.pid}` : 'stopped';
  const answers = node.portOpen ? 'answers' : 'no answer';
  const note = node.note ? `  (${node.note})` : '';
  return `node ${node.id}  ${state.padEnd(16)}  ${HOST}:${node.clientPort} ${answers}${note}`;
}

async function logs(settings: Settings, args: CliArgs): Promise<number> {
  const { cluster, dataDir } = await clusterStatus(settings);
  if (!cluster) {
    log.info(`No local Kafka cluster in ${dataDir} yet: start one with \`npm run kafka:start\`.`);
    return 0;
  }
  let layout = clusterLayout(dataDir, cluster.basePort, cluster.nodes);
  if (args.node !== undefined) {
    layout = layout.filter((n) => n.id === args.node);
    if (layout.length === 0) {
      throw new KafkadogError(
        'BAD_ARGS',
        `Node ${args.node} does not exist: this cluster has nodes 1 to ${cluster.nodes}.`,
      );
    }
  }
  for (const node of layout) {
    if (layout.length > 1 || !args.follow) log.info(`==> node ${node.id}: ${node.logFile} <==`);
    const lines = await tailFile(node.logFile, args.lines);
    log.info(lines.length > 0 ? lines.join('\n') : '(empty)');
  }
  if (!args.follow) return 0;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  await followFiles(
    layout.map((n) => ({ file: n.logFile, prefix: layout.length > 1 ? `[node ${n.id}] ` : '' })),
    (line) => log.info(line),
    controller.signal,
  );
  return 0;
}

async function external(args: CliArgs, brokers: readonly string[]): Promise<number> {
  const list = brokers.join(',');
  const security = processKafkaSecurity();
  const listed = await listBrokerIds(brokers, 5000, security).catch((error: unknown) => {
    // A refused login is not "does not answer": it names the variables to fix.
    if (isAuthenticationError(error)) {
      throw new KafkadogError('BAD_CONFIG', `${loginRefused(list, security, error).message}.`);
    }
    return undefined;
  });
  const reach = listed
    ? `it answers with broker${listed.length === 1 ? '' : 's'} ${listed.join(', ')}`
    : 'it does not answer';
  switch (args.command) {
    case 'start':
      if (!listed) {
        throw new KafkadogError(
          'EXTERNAL_CLUSTER',
          `KAFKA_BROKERS=${list} does not answer: start that cluster, or unset KAFKA_BROKERS to let kafkadog run a local one.`,
        );
      }
      log.info(
        `KAFKA_BROKERS is set: using the cluster at ${list} (${reach}); not starting a local Kafka.`,
      );
      return 0;
    case 'stop':
      log.info(
        `KAFKA_BROKERS is set (${list}): kafkadog does not stop a cluster it did not start; unset it to manage the local one.`,
      );
      return 0;
    case 'status':
      log.info(
        `KAFKA_BROKERS is set: using the cluster at ${list}; ${reach}. No local Kafka is managed.`,
      );
      return 0;
    case 'logs':
      log.info(
        `KAFKA_BROKERS is set (${list}): its logs are wherever that cluster runs; unset it to see the local one's.`,
      );
      return 0;
    default:
      return 0;
  }
}
