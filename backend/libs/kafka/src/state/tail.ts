import { describeError, KafkadogError } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { TopicReader } from './reader.js';
import type { ReadToEndOptions, TailOptions, TopicTail } from './types.js';

/**
 * Follows topics without a consumer group and without committing anything: for views rebuilt
 * from Kafka at every start (read models, the SSE feed, fault switches). From the oldest record
 * (default) or only new ones, then live. `caughtUp` resolves once everything that was in the
 * topics when the tail started has been handed to `onRecord`.
 */
export async function tailTopics(options: TailOptions): Promise<TopicTail> {
  const logger = options.logger ?? consoleLogger;
  const clientId = options.clientId ?? 'kafkadog-tail';
  const reader = new TopicReader({
    brokers: options.brokers,
    topics: options.topics,
    clientId,
    logger,
  });
  let end: Map<string, bigint>;
  try {
    end = await reader.offsets('latest');
    const start = await startOffsets(reader, options, end);
    for (const [key, offset] of start) reader.seek(key, offset);
  } catch (error) {
    await reader.close();
    throw error;
  }
  const partitions = await reader.partitions();

  let settle: { resolve(): void; reject(error: Error): void } | undefined;
  const caughtUp = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A tail closed before it caught up rejects `caughtUp`; that must not become an unhandled
  // rejection when nobody waits for it.
  caughtUp.catch(() => {});
  const checkCaughtUp = () => {
    if (settle && reader.reached(end)) {
      settle.resolve();
      settle = undefined;
    }
  };
  checkCaughtUp();

  const abort = new AbortController();
  const running = reader
    .run({
      select: () => partitions,
      done: () => false,
      maxWaitMs: options.maxWaitMs ?? 500,
      ...(options.minBytes === undefined ? {} : { minBytes: options.minBytes }),
      async deliver(records) {
        for (const record of records) {
          try {
            await options.onRecord(record);
          } catch (error) {
            logger.error('could not handle a record; skipped', {
              tail: clientId,
              topic: record.topic,
              partition: record.partition,
              offset: record.offset,
              error: describeError(error),
            });
          }
        }
      },
      history: end,
      onProgress: checkCaughtUp,
      signal: abort.signal,
    })
    .catch((error: unknown) => {
      logger.error('tail stopped', { tail: clientId, error: describeError(error) });
    });

  let closing: Promise<void> | undefined;
  return {
    caughtUp,
    close() {
      closing ??= (async () => {
        abort.abort();
        await running;
        await reader.close();
        settle?.reject(new KafkadogError('CLOSED', `${clientId} was closed before it caught up`));
        settle = undefined;
      })();
      return closing;
    },
  };
}

/** Each partition's first offset to read: by `from`, or by the partition's topic in `startAt`. */
async function startOffsets(
  reader: TopicReader,
  options: TailOptions,
  end: ReadonlyMap<string, bigint>,
): Promise<Map<string, bigint>> {
  const startOf = (topic: string) => options.startAt?.get(topic) ?? options.from ?? 'earliest';
  const listed = new Map<string | number, Map<string, bigint>>([['latest', new Map(end)]]);
  const start = new Map<string, bigint>();
  for (const ref of await reader.partitions()) {
    const where = startOf(ref.topic);
    let offsets = listed.get(where);
    if (!offsets) {
      offsets = await reader.offsets(typeof where === 'number' ? { timestamp: where } : where);
      listed.set(where, offsets);
    }
    start.set(ref.key, offsets.get(ref.key) ?? 0n);
  }
  return start;
}

/**
 * The time of the `depth`-th newest record of each partition of `topic` (of its oldest record
 * where it holds fewer), the earliest over the partitions: reading from that time gets at least
 * the `depth` newest records of every partition. Undefined when the topic is empty.
 */
export async function timeAtDepth(options: {
  readonly brokers: TailOptions['brokers'];
  readonly topic: string;
  readonly depth: number;
  readonly clientId?: string;
  readonly logger?: TailOptions['logger'];
}): Promise<number | undefined> {
  const reader = new TopicReader({
    brokers: options.brokers,
    topics: [options.topic],
    clientId: options.clientId ?? 'kafkadog-depth',
    logger: options.logger ?? consoleLogger,
  });
  try {
    const earliest = await reader.offsets('earliest');
    const latest = await reader.offsets('latest');
    const targets = new Map<string, bigint>();
    for (const [key, end] of latest) {
      const first = earliest.get(key) ?? 0n;
      if (end <= first) continue; // empty
      const at = end - BigInt(options.depth) > first ? end - BigInt(options.depth) : first;
      reader.seek(key, at);
      targets.set(key, at + 1n);
    }
    let time: number | undefined;
    await reader.readUntil(
      targets,
      (records) => {
        const [record] = records;
        if (record && (time === undefined || record.timestamp < time)) time = record.timestamp;
        return Promise.resolve();
      },
      new AbortController().signal,
    );
    return time;
  } finally {
    await reader.close();
  }
}

/**
 * Reads topics from their oldest record up to their log end as it was when called, without a
 * consumer group, and resolves with the number of records handed to `onRecord`.
 */
export async function readToEnd(options: ReadToEndOptions): Promise<number> {
  const logger = options.logger ?? consoleLogger;
  const reader = new TopicReader({
    brokers: options.brokers,
    topics: options.topics,
    clientId: options.clientId ?? 'kafkadog-read',
    logger,
  });
  try {
    const start = await reader.offsets(
      options.from === undefined ? 'earliest' : { timestamp: options.from },
    );
    const end = await reader.offsets('latest');
    for (const [key, offset] of start) reader.seek(key, offset);
    let count = 0;
    await reader.readUntil(
      end,
      async (records) => {
        for (const record of records) {
          await options.onRecord(record);
          count++;
        }
      },
      new AbortController().signal,
    );
    return count;
  } finally {
    await reader.close();
  }
}
