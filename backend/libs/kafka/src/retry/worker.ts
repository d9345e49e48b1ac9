import { DlqReasons, Headers, parseEvent } from '@kafkadog/contracts';
import { GroupLoop } from '../consumer/group-loop.js';
import { resolveProcessing, topicSpecs, tuning } from '../consumer/options.js';
import { EventProcessor } from '../consumer/processor.js';
import type { ConsumerStats, EventConsumerOptions } from '../consumer/types.js';
import { KafkadogError } from '../errors.js';
import { headerString, headersToObject, parseRetryHeaders } from '../records/index.js';
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
    async process(record, signal) {
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
        await processor.deadLetter(delivery, DlqReasons.invalidSchema, headers.error, signal);
        return;
      }
      const { fields } = headers;
      const delivery = { record, source: fields.source, retries: fields.retry };
      // Never early: sleep until due. Closing the worker aborts the sleep; the record is then
      // left uncommitted and waits for the next start.
      await sleepUntil(fields.notBefore, signal);
      const parsed = parseEvent(record.value, specs.get(fields.source.topic));
      if (!parsed.ok) {
        await processor.deadLetter(delivery, parsed.reason, parsed.error, signal);
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
        signal,
      );
    },
  });

  return {
    groupId,
    workerGroupId,
    start: () => loop.start(),
    close: () => loop.close(),
    stats: () => loop.stats(),
  };
}
