import { clusterStatus } from './index.js';
import { HOST } from './config.js';
import { KafkadogError } from './errors.js';

/**
 * The bootstrap servers a script should talk to: KAFKA_BROKERS when set, else the running
 * local cluster. Starts nothing.
 */
export async function currentBrokers(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  if (env.KAFKA_BROKERS) return env.KAFKA_BROKERS.split(',').map((broker) => broker.trim());
  const status = await clusterStatus();
  const running = status.nodes.filter((node) => node.running && node.portOpen);
  if (running.length === 0) {
    throw new KafkadogError(
      'KAFKA_NOT_RUNNING',
      'No Kafka is running: start one with `npm run kafka:start`, or set KAFKA_BROKERS=host:port.',
    );
  }
  return running.map((node) => `${HOST}:${node.clientPort}`);
}
