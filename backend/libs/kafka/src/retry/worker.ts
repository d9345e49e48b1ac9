import { DlqReasons, Headers, parseEvent } from '@kafkadog/contracts';
import { BatchOutput, writeBatch } from '../consumer/batch.js';
import { GroupLoop } from '../consumer/group-loop.js';
import { resolveProcessing, topicSpecs, tuning } from '../consumer/options.js';
import { EventProcessor } from '../consumer/processor.js';
import type { ConsumerStats, EventConsumerOptions } from '../consumer/types.js';
import { KafkadogError } from '../errors.js';
import {
  headerString,
  headersToObject,
  parseRetryHeaders,
  type ConsumedRecord,
} from '../records/index.js';
import { sleepUntil } from './backoff.js';

/**
 * The same options as the service's event consumer: the worker validates against the same
 * topics, calls the same handler with the same guard, and writes its next retry or dead letter
 * in the owning group's name. `fromBeginning` does not apply: see below.
 */
export type RetryWorkerOptions = Omit<EventConsumerOptions, 'fromBeginning'>;

export interface RetryWorker {
  /** The owning service's group; the worker itself consumes as `<groupId>.retry`. */
  readonly groupId: string;
  readonly workerGroupId: string;
  start(): Promise<void>;
  close(): Promise<void>;
  stats(): ConsumerStats;
}

export function retryGroupId(groupId: string): string {
  return `${groupId}.retry`;
}

/**
 * Consumes the retry topic for one service. It takes only the records its service wrote (the
 * `retry-group` header), waits until each is due, and hands the event to the handler again with
 * `meta.attempt` counting the tries. A new failure schedules the next retry with a longer delay,
 * or dead-letters the event once the policy's attempts are used up.
 *
 * The retry topic has one partition, read in order: a record due later holds up the records
 * behind it, even one due earlier (a first retry queued behind a third). That head-of-line wait is
 * accepted: it delays a retry by at most the longest backoff and never runs one early.
 */
export function createRetryWorker(options: RetryWorkerOptions): RetryWorker {
  if (options.retry === false) {
    throw new KafkadogError('RETRY_DISABLED', `${options.groupId} has retries disabled`);
  }
  const specs = topicSpecs(options.topics);
  const processing = resolveProcessing(options);
  const processor = new EventProcessor(processing);
  const { groupId } = options;
  const workerGroupId = retryGroupId(groupId);
  const { logger, metrics } = processing;
  const scope = options.batchScope ?? ((work) => work());
  const writing = {
    producer: processing.producer,
    logger,
    groupId,
    transactions: options.transactions,
  };

  const loop = new GroupLoop({
    ...tuning(options),
    brokers: options.brokers,
    groupId: workerGroupId,
    clientId: options.clientId ? `${options.clientId}.retry` : workerGroupId,
    topics: [processing.retryTopic],
    // Always from the oldest record: a retry written before this worker's group first existed
    // is still this service's to run. Other services' records are skipped at no cost.
    fromBeginning: true,
    logger,
    ...(options.fence ? { fence: options.fence } : {}),
    transactional: options.transactions !== undefined,
    async processBatch(records, signal, consumed, fence) {
      // Never early: the batch runs up to the first record not due yet. When that is the first,
      // wait for it (outside the scope, which other consumers of the same state share).
      let due = records.findIndex((record) => !isDue(record));
      if (due === 0) {
        await sleepUntil(notBefore(records[0]!), signal);
        due = records.findIndex((record) => !isDue(record));
      }
      const batch = due === -1 ? records : records.slice(0, due);
      return scope(async () => {
        const out = new BatchOutput();
        for (const record of batch) await handleOne(record, out);
        await writeBatch(out, {
          ...writing,
          signal,
          fence,
          ...(options.transactions ? { consumed: consumed(batch.length) } : {}),
        });
        return batch.length;
      });
    },
  });

  function notBefore(record: ConsumedRecord): number {
    if (headerString(record.headers, Headers.retryGroup) !== groupId) return 0;
    const headers = parseRetryHeaders(record.headers);
    return headers.ok ? headers.fields.notBefore : 0;
  }

  function isDue(record: ConsumedRecord): boolean {
    return notBefore(record) <= Date.now();
  }

  async function handleOne(record: ConsumedRecord, out: BatchOutput): Promise<void> {
    metrics.consumed.inc({ topic: record.topic, group: workerGroupId });
    const owner = headerString(record.headers, Headers.retryGroup);
    if (owner !== groupId) {
      if (owner === undefined) {
        logger.warn('retry record without a retry-group header skipped', {
          group: workerGroupId,
          partition: record.partition,
          offset: record.offset,
        });
      }
      return;
    }
    const self = { topic: record.topic, partition: record.partition, offset: record.offset };
    const headers = parseRetryHeaders(record.headers);
    if (!headers.ok) {
      const delivery = { record, source: self, retries: 0 };
      processor.deadLetter(delivery, DlqReasons.invalidSchema, headers.error, out);
      return;
    }
    const { fields } = headers;
    const delivery = { record, source: fields.source, retries: fields.retry };
    const parsed = parseEvent(record.value, specs.get(fields.source.topic));
    if (!parsed.ok) {
      processor.deadLetter(delivery, parsed.reason, parsed.error, out);
      return;
    }
    await processor.handle(
      parsed.event,
      {
        ...fields.source,
        key: fields.key,
        timestamp: record.timestamp,
        headers: headersToObject(record.headers),
        groupId,
        attempt: fields.retry + 1,
        retry: self,
      },
      delivery,
      out,
    );
  }

  return {
    groupId,
    workerGroupId,
    start: () => loop.start(),
    close: () => loop.close(),
    stats: () => loop.stats(),
  };
}
