import { ensureCluster, isKafkadogError } from '../kafka/index.js';
import { consoleLogger as log, formatDuration, printError } from '../lib/log.js';
import { createRegistryTopics } from '../topics/cli.js';

/** Starts the whole stack and keeps it running until Ctrl+C, then stops what it started. */
export async function main(): Promise<number> {
  let cluster: Awaited<ReturnType<typeof ensureCluster>> | undefined;
  try {
    cluster = await ensureCluster({ logger: log });
    log.info(describeCluster(cluster));
    if (!(await createRegistryTopics(cluster.brokers, log))) {
      printError('Some topics differ from the registry (see above): delete them to recreate them.');
      return 1;
    }
  } catch (error) {
    printError(
      isKafkadogError(error) ? error.message : `Could not start: ${(error as Error).message}`,
    );
    await cluster?.stop();
    return 1;
  }

  log.info('\nkafkadog is running. Press Ctrl+C to stop.');
  await untilSignal();
  log.info('\nStopping…');
  await cluster.stop();
  return 0;
}

function describeCluster(cluster: Awaited<ReturnType<typeof ensureCluster>>): string {
  const where = cluster.brokers.join(',');
  if (cluster.external) return `Using Kafka at ${where} (KAFKA_BROKERS)`;
  if (!cluster.startedByUs) return `Kafka already running at ${where}`;
  const elapsed = cluster.result ? ` in ${formatDuration(cluster.result.elapsedMs)}` : '';
  return `Kafka ready at ${where}${elapsed} (data: ${cluster.dataDir})`;
}

/** Resolves on Ctrl+C or SIGTERM; keeps the process alive until then. */
function untilSignal(): Promise<NodeJS.Signals> {
  const keepAlive = setInterval(() => {}, 1 << 30);
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
