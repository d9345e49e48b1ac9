import {
  keyOf,
  serializeEvent,
  topicOf,
  validateEvent,
  type KafkadogEvent,
} from '@kafkadog/contracts';
import { compatibilityPartitioner, Producer, stringSerializer } from '@platformatic/kafka';
import { clientConnection, loginRefused, processKafkaSecurity } from '../connection/index.js';
import { describeError, isAuthenticationError, isRetriable, KafkadogError } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { createKafkaMetrics } from '../metrics/index.js';
import { eventHeaders } from '../records/index.js';
import { SendCoalescer } from './coalescer.js';
import { recordPositions, toClientMessage } from './positions.js';
import type {
  EventProducer,
  ProducerOptions,
  PublishOptions,
  RawRecord,
  RecordPosition,
} from './types.js';

/** The partition the producer writes a key to, as the Java client would choose it. */
export function partitionFor(key: string | Buffer, partitions: number): number {
  const bytes = typeof key === 'string' ? Buffer.from(key) : key;
  return compatibilityPartitioner(undefined as never, bytes) % partitions;
}

// With the client's 1 s between attempts, 20 retries ride out a leader failover: a dead broker's
// partitions get a new leader once its session expires (broker.session.timeout.ms, 9 s).
function sendRetries(retries = 20): number {
  if (!Number.isInteger(retries) || retries < 2) {
    throw new KafkadogError(
      'INVALID_OPTION',
      `producer retries must be an integer >= 2, got ${retries}`,
    );
  }
  return retries;
}

export function createProducer(options: ProducerOptions): EventProducer {
  const logger = options.logger ?? consoleLogger;
  const metrics = options.metrics ?? createKafkaMetrics();
  const security = processKafkaSecurity();
  const connection = clientConnection(options.brokers, security);
  const where = connection.bootstrapBrokers.join(',');
  const client = new Producer<Buffer, Buffer, string, Buffer>({
    clientId: options.clientId,
    ...connection,
    // acks=all: the broker answers once every in-sync replica has the record, so losing the
    // leader right after an acknowledgement cannot lose an acknowledged event.
    acks: -1,
    // Idempotence: the broker discards a batch it already has (same producer id and sequence),
    // so the client's own resends after a lost response add no duplicates and keep the order
    // within a partition. The client then also limits itself to one request in flight.
    idempotent: true,
    // The Java client's key hashing, so a key lands on the same partition whichever client or
    // tool writes it. This client's default differs for about half of all keys whenever the
    // partition count is not a power of two (3 here).
    partitioner: compatibilityPartitioner,
    serializers: { headerKey: stringSerializer },
    retries: sendRetries(options.retries),
  });
  client.on('client:broker:failed', ({ broker }) => {
    logger.warn('producer could not reach a broker', {
      clientId: options.clientId,
      broker: `${broker.host}:${broker.port}`,
    });
  });
  // Partition counts, to tell which partition each record went to: asked once per topic, and
  // again if the answer does not fit (the topic got more partitions).
  const partitionCounts = new Map<string, number>();
  async function countPartitions(topics: readonly string[], refresh: boolean): Promise<void> {
    const unknown = refresh ? topics : topics.filter((topic) => !partitionCounts.has(topic));
    if (unknown.length === 0) return;
    const metadata = await client.metadata({ topics: [...unknown], forceUpdate: refresh });
    for (const topic of unknown) {
      partitionCounts.set(topic, metadata.topics.get(topic)?.partitionsCount ?? 1);
    }
  }

  async function sendRequest(records: readonly RawRecord[]): Promise<RecordPosition[]> {
    const messages = records.map(toClientMessage);
    const result = await client.send({ messages });
    const topics = [...new Set(records.map((r) => r.topic))];
    const locate = () =>
      recordPositions(messages, result.offsets ?? [], (topic) => partitionCounts.get(topic) ?? 1);
    await countPartitions(topics, false);
    let positions: RecordPosition[];
    try {
      positions = locate();
    } catch {
      await countPartitions(topics, true);
      positions = locate();
    }
    for (const position of positions) metrics.produced.inc({ topic: position.topic });
    return positions;
  }

  const coalescer = new SendCoalescer(sendRequest);

  async function sendMany(records: readonly RawRecord[]): Promise<RecordPosition[]> {
    try {
      return await coalescer.send(records);
    } catch (error) {
      if (error instanceof KafkadogError) throw error;
      if (isAuthenticationError(error)) throw loginRefused(where, security, error);
      const topics = [...new Set(records.map((record) => record.topic))].join(', ');
      throw new KafkadogError(
        'PUBLISH_FAILED',
        `could not send to ${topics}: ${describeError(error)}`,
        {
          cause: error,
          retriable: isRetriable(error),
        },
      );
    }
  }

  async function send(record: RawRecord): Promise<RecordPosition> {
    const [position] = await sendMany([record]);
    if (!position) throw new KafkadogError('PUBLISH_UNCONFIRMED', `no offset for ${record.topic}`);
    return position;
  }

  function eventRecord(event: KafkadogEvent, publishOptions: PublishOptions = {}): RawRecord {
    let valid: KafkadogEvent;
    try {
      valid = validateEvent(event);
    } catch (error) {
      throw new KafkadogError('INVALID_EVENT', describeError(error), { cause: error });
    }
    return {
      topic: publishOptions.topic ?? topicOf(valid.type).name,
      key: keyOf(valid),
      value: serializeEvent(valid),
      headers: { ...publishOptions.headers, ...eventHeaders(valid) },
    };
  }

  return {
    clientId: options.clientId,

    // async: an invalid event rejects the promise rather than throwing at the call.
    publish: async (event, publishOptions) => send(eventRecord(event, publishOptions)),

    eventRecord,

    sendMany,

    sendRaw: send,

    async close() {
      await client.close();
    },
  };
}
