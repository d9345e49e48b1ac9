import { parseEvent } from '@kafkadog/contracts';
import { headersToObject } from '../records/index.js';
import { BatchOutput, writeBatch } from './batch.js';
import { GroupLoop } from './group-loop.js';
import { resolveProcessing, topicSpecs, tuning } from './options.js';
import { EventProcessor } from './processor.js';
import type { EventConsumer, EventConsumerOptions } from './types.js';

/**
 * Consumes events as a member of a consumer group, a batch at a time. Each record is validated
 * against its topic; a poison record goes to the DLQ as its raw bytes. A valid event passes the
 * idempotency guard and reaches the handler; a failure goes to the retry topic or the DLQ. What
 * the batch caused is written in one produce, and only then are its offsets committed, so a
 * crash at any point means a redelivery, never a loss.
 */
export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  const specs = topicSpecs(options.topics);
  const processing = resolveProcessing(options);
  const processor = new EventProcessor(processing);
  const { groupId } = options;
  const scope = options.batchScope ?? ((work) => work());
  const writing = {
    producer: processing.producer,
    logger: processing.logger,
    groupId,
    transactions: options.transactions,
  };

  const loop = new GroupLoop({
    ...tuning(options),
    brokers: options.brokers,
    groupId,
    clientId: options.clientId ?? groupId,
    topics: [...specs.keys()],
    fromBeginning: options.fromBeginning ?? true,
    logger: processing.logger,
    ...(options.fence ? { fence: options.fence } : {}),
    transactional: options.transactions !== undefined,
    processBatch: (records, signal, consumed, fence) =>
      scope(async () => {
        const out = new BatchOutput();
        for (const record of records) {
          processing.metrics.consumed.inc({ topic: record.topic, group: groupId });
          const source = {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
          };
          const delivery = { record, source, retries: 0 };
          const parsed = parseEvent(record.value, specs.get(record.topic));
          if (!parsed.ok) {
            processor.deadLetter(delivery, parsed.reason, parsed.error, out);
            continue;
          }
          await processor.handle(
            parsed.event,
            {
              ...source,
              key: record.key?.toString('utf8'),
              timestamp: record.timestamp,
              headers: headersToObject(record.headers),
              groupId,
              attempt: 1,
            },
            delivery,
            out,
          );
        }
        await writeBatch(out, {
          ...writing,
          signal,
          fence,
          ...(options.transactions ? { consumed: consumed(records.length) } : {}),
        });
        return records.length;
      }),
  });

  return {
    groupId,
    start: () => loop.start(),
    close: () => loop.close(),
    stats: () => loop.stats(),
  };
}
