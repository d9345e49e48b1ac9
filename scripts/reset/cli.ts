import { createInterface } from 'node:readline/promises';
import {
  clusterStatus,
  ensureCluster,
  isKafkadogError,
  KafkadogError,
  resolveSettings,
  stopCluster,
} from '../kafka/index.js';
import { consoleLogger as log, formatDuration, printError } from '../lib/log.js';
import { createRegistryTopics } from '../topics/cli.js';
import { HELP, isYes, needsConfirmation, parseResetArgs } from './args.js';
import { stopRecordedStart } from './stop.js';

/** `npm run reset`: see HELP. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseResetArgs(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const settings = resolveSettings();
    if (settings.externalBrokers) {
      throw new KafkadogError(
        'EXTERNAL_CLUSTER',
        `KAFKA_BROKERS is set (${settings.externalBrokers.join(',')}): reset never wipes a cluster kafkadog did not start; unset it to reset the local one.`,
      );
    }
    if (needsConfirmation(args, process.stdin.isTTY) && !(await confirm(settings.dataDir))) {
      log.info('Nothing changed.');
      return 1;
    }
    const started = Date.now();
    // The node count survives the wipe: a 3-node cluster comes back with 3 nodes.
    const nodes = (await clusterStatus()).cluster?.nodes;

    if (!(await stopRecordedStart(settings.dataDir, log))) {
      log.info('No running `npm start` recorded for this cluster.');
    }
    const stopped = await stopCluster({ wipe: true, logger: log });
    log.info(
      stopped.wiped
        ? `Deleted ${stopped.dataDir} (every topic, record and offset).`
        : `No Kafka data in ${stopped.dataDir} yet.`,
    );

    log.info('Starting Kafka…');
    const cluster = await ensureCluster({ logger: log, ...(nodes === undefined ? {} : { nodes }) });
    log.info('Creating the topics…');
    if (!(await createRegistryTopics(cluster.brokers, log))) {
      printError('Some topics differ from the registry (see above): run `npm run reset` again.');
      return 1;
    }
    log.info(
      `Reset in ${formatDuration(Date.now() - started)}: Kafka runs at ${cluster.brokers.join(',')} with empty topics.\n` +
        'Start the services with `npm start` (stop Kafka with `npm run kafka:stop`).',
    );
    return 0;
  } catch (error) {
    printError(
      isKafkadogError(error) ? error.message : `The reset failed: ${(error as Error).message}`,
      isKafkadogError(error) ? error.details : undefined,
    );
    return 1;
  }
}

async function confirm(dataDir: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(
      `This stops kafkadog's local stack and deletes every topic, record and offset in ${dataDir}. Go on? [y/N] `,
    );
    return isYes(answer);
  } finally {
    prompt.close();
  }
}
