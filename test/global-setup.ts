import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureCluster, findFreeBasePort, silentLogger } from '../scripts/kafka/index.js';

/**
 * Gives the integration tests a real broker: the cluster named by KAFKA_BROKERS, or a
 * throwaway single node started here (own data dir, free ports) and wiped afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.KAFKA_BROKERS;
  if (given) {
    project.provide('kafkaBrokers', given.split(','));
    return async () => {};
  }
  const started = Date.now();
  const basePort = await findFreeBasePort({ from: 39092 });
  const dataDir = await mkdtemp(join(tmpdir(), 'kafkadog-test-'));
  const cluster = await ensureCluster({ basePort, dataDir, nodes: 1, logger: silentLogger });
  console.log(
    `[kafkadog] test broker ready at ${cluster.brokers.join(',')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  project.provide('kafkaBrokers', cluster.brokers);
  return () => cluster.stop({ wipe: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}
