import { allTopics } from '@kafkadog/contracts';
import { createAdmin, replicationFor, silentLogger } from '@kafkadog/kafka';
import { currentBrokers } from '../kafka/brokers.js';
import { isKafkadogError } from '../kafka/errors.js';
import { consoleLogger, printError, type Logger } from '../lib/log.js';

/**
 * Creates every topic of the registry that is missing, and sets the registry's configs (retention,
 * segments) on existing ones. Returns false when an existing topic differs in what is left as is:
 * its partition count or its cleanup policy (reported).
 */
export async function createRegistryTopics(brokers: string[], log: Logger): Promise<boolean> {
  const admin = createAdmin({ brokers, clientId: 'kafkadog-topics', logger: silentLogger });
  try {
    const brokerCount = await admin.brokerCount();
    const { replicationFactor, minInsyncReplicas } = replicationFor(brokerCount);
    const result = await admin.ensureTopics(allTopics, { replicationFactor });
    const width = Math.max(...allTopics.map((topic) => topic.name.length));
    for (const topic of allTopics) {
      const state = result.created.includes(topic.name) ? 'created' : 'exists ';
      log.info(`  ${state}  ${topic.name.padEnd(width)}  ${topic.partitions} partition(s)`);
    }
    for (const update of result.updated) {
      log.info(
        `  updated  ${update.name}: ${update.setting} ${update.actual || '(default)'} → ${update.expected}`,
      );
    }
    for (const mismatch of result.mismatched) {
      log.warn(
        `  mismatch ${mismatch.name}: ${mismatch.setting} is ${mismatch.actual}, the registry says ${mismatch.expected}` +
          ' (left as is: delete the topic to recreate it)',
      );
    }
    log.info(
      `topics: ${result.created.length} created, ${result.existing.length} already there, ` +
        `replication factor ${replicationFactor} and min.insync.replicas ${minInsyncReplicas} on ${brokerCount} broker(s)`,
    );
    return result.mismatched.length === 0;
  } finally {
    await admin.close();
  }
}

export async function main(): Promise<number> {
  try {
    return (await createRegistryTopics(await currentBrokers(), consoleLogger)) ? 0 : 1;
  } catch (error) {
    printError(
      isKafkadogError(error)
        ? error.message
        : `Could not create topics: ${(error as Error).message}`,
    );
    return 1;
  }
}
