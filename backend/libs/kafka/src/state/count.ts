import type { Brokers } from '../brokers.js';
import { consoleLogger, type Logger } from '../logger.js';
import { TopicReader } from './reader.js';

/** Offsets `from` (included) to `to` (excluded) of one partition. */
export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  readonly from: bigint;
  readonly to: bigint;
}

/**
 * How many records the ranges hold, read `read_committed`. An offset is not always a record: each
 * transaction's commit marker takes an offset in every partition it wrote to, and an aborted
 * transaction's records are never read. So a group that moves back by N offsets reads N records
 * again only where no transaction wrote.
 */
export async function countRecords(options: {
  readonly brokers: Brokers;
  readonly ranges: readonly OffsetRange[];
  readonly clientId?: string;
  readonly logger?: Logger;
}): Promise<number> {
  const ranges = options.ranges.filter((range) => range.to > range.from);
  if (ranges.length === 0) return 0;
  const reader = new TopicReader({
    brokers: options.brokers,
    topics: [...new Set(ranges.map((range) => range.topic))],
    clientId: options.clientId ?? 'kafkadog-count',
    logger: options.logger ?? consoleLogger,
  });
  const abort = new AbortController();
  try {
    const targets = new Map<string, bigint>();
    for (const { topic, partition, from, to } of ranges) {
      const key = `${topic}:${partition}`;
      reader.seek(key, from);
      targets.set(key, to);
    }
    let count = 0;
    await reader.readUntil(
      targets,
      (records) => {
        for (const record of records) {
          const to = targets.get(`${record.topic}:${record.partition}`) ?? 0n;
          if (BigInt(record.offset) < to) count++;
        }
        return Promise.resolve();
      },
      abort.signal,
    );
    return count;
  } finally {
    abort.abort();
    await reader.close();
  }
}
