import { clientConnection, type KafkaSecurity } from './client.js';
import { Admin, ProduceAcks, Producer } from '@platformatic/kafka';

/**
 * Asks the cluster for its metadata and returns the ids of the brokers it lists. A broker shows
 * up there only once it is unfenced, so a listed id means that node really serves clients.
 */
export async function listBrokerIds(
  bootstrap: readonly string[],
  timeoutMs = 5000,
  security?: KafkaSecurity,
): Promise<number[]> {
  const admin = new Admin({
    clientId: 'kafkadog-provision',
    ...clientConnection(bootstrap, security),
    connectTimeout: Math.min(timeoutMs, 3000),
    timeout: timeoutMs,
    // The caller polls; a failed attempt must return at once, not after the client's own retries.
    retries: 0,
  });
  try {
    const metadata = await admin.metadata({ topics: [], forceUpdate: true });
    return [...metadata.brokers.keys()].sort((a, b) => a - b);
  } finally {
    await admin.close();
  }
}

/** listBrokerIds that reports failure as `undefined` instead of throwing. */
export async function tryListBrokerIds(
  bootstrap: readonly string[],
  timeoutMs = 5000,
  security?: KafkaSecurity,
): Promise<number[] | undefined> {
  try {
    return await listBrokerIds(bootstrap, timeoutMs, security);
  } catch {
    return undefined;
  }
}

/**
 * A broker hands out producer ids from a block it fetches from the controller on the first
 * InitProducerId after each start, answering COORDINATOR_LOAD_IN_PROGRESS until then. Asking
 * each new broker once here means the first idempotent producer of a service or test succeeds
 * at once instead of spending its retries (one per broker it rotates through).
 */
export async function warmUpProducerIds(
  broker: string,
  security?: KafkaSecurity,
  timeoutMs = 15_000,
): Promise<void> {
  const producer = new Producer({
    clientId: 'kafkadog-provision',
    ...clientConnection([broker], security),
    idempotent: true,
    acks: ProduceAcks.ALL,
    connectTimeout: 3000,
    timeout: 5000,
    retries: Math.max(1, Math.floor(timeoutMs / 200)),
    retryDelay: 200,
  });
  try {
    await producer.initIdempotentProducer({});
  } finally {
    await producer.close();
  }
}
