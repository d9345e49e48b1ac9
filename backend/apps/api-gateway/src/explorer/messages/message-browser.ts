import type { TopicSpec } from '@kafkadog/contracts';
import { TopicReader, type PartitionWatermarks, type ReadRecord } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import { Injectable } from '@nestjs/common';
import { ApiError } from '../../http/api-error.js';
import { readingFromKafka, writingToKafka } from '../../http/kafka-unavailable.js';
import type { BrowseQuery, ProduceRequest } from './message-request.js';
import { byTime, toMessageView, type MessageView } from './message-view.js';

export interface MessagePage {
  readonly topic: string;
  /** null: every partition, merged by timestamp. */
  readonly partition: number | null;
  readonly from: BrowseQuery['from'];
  readonly messages: MessageView[];
  /** Where the next page of this partition starts; null at the log end, or across partitions. */
  readonly next: string | null;
}

export interface Produced {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
}

/** Records read per fetch round of a browse. */
const CHUNK = 500n;
/** A key filter looks at no more than this many records per partition (a page says where it
 * stopped, in `next`). */
const MAX_SCANNED = 10_000n;
const READ_TIMEOUT_MS = 15_000;

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Browses a topic with a TopicReader: plain fetches from chosen offsets, no consumer group and no
 * commit, so looking at a topic never shows up as a group nor moves anybody's cursor.
 */
@Injectable()
export class MessageBrowser {
  constructor(private readonly kafka: KafkaClients) {}

  async browse(spec: TopicSpec, query: BrowseQuery): Promise<MessagePage> {
    return readingFromKafka(`the records of ${spec.name}`, async () => {
      const watermarks = await this.kafka.admin.watermarks([spec.name]);
      const chosen = watermarks.filter(
        (marks) => query.partition === undefined || marks.partition === query.partition,
      );
      if (chosen.length === 0) throw noSuchPartition(spec, watermarks.length, 'partition');
      const byTimestamp =
        query.timestamp === undefined
          ? []
          : await this.kafka.admin.offsetsForTimestamp(spec.name, query.timestamp);
      const reader = new TopicReader({
        brokers: this.kafka.brokers,
        topics: [spec.name],
        clientId: 'api-gateway.explorer',
        logger: this.kafka.logger,
      });
      const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
      const pages: { records: ReadRecord[]; next: bigint | null }[] = [];
      try {
        for (const marks of chosen) {
          pages.push(await scan(reader, marks, startOf(marks, query, byTimestamp), query, signal));
        }
      } finally {
        await reader.close();
      }
      const merged = pages.flatMap((page) => page.records).sort(byTime);
      const records =
        query.from === 'latest' ? merged.slice(-query.limit) : merged.slice(0, query.limit);
      const next = pages.length === 1 ? (pages[0]!.next?.toString() ?? null) : null;
      return {
        topic: spec.name,
        partition: query.partition ?? null,
        from: query.from,
        messages: records.map(toMessageView),
        next,
      };
    });
  }

  async produce(spec: TopicSpec, request: ProduceRequest): Promise<Produced> {
    if (request.partition !== undefined && request.partition >= spec.partitions) {
      throw noSuchPartition(spec, spec.partitions, 'partition');
    }
    // Set here rather than by the producer, so that the answer can say it.
    const timestamp = Date.now();
    const position = await writingToKafka(this.kafka, `the record for ${spec.name}`, () =>
      this.kafka.producer.sendRaw({
        topic: spec.name,
        key: request.key ?? undefined,
        value: Buffer.from(request.value, 'utf8'),
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.partition === undefined ? {} : { partition: request.partition }),
        timestamp,
      }),
    );
    return {
      topic: position.topic,
      partition: position.partition,
      offset: position.offset,
      timestamp: new Date(timestamp).toISOString(),
    };
  }
}

function startOf(
  { partition, low, high }: PartitionWatermarks,
  query: BrowseQuery,
  byTimestamp: readonly (bigint | null)[],
): bigint {
  switch (query.from) {
    case 'earliest':
      return low;
    case 'latest':
      return max(low, high - (query.key === undefined ? BigInt(query.limit) : MAX_SCANNED));
    case 'offset':
      return min(high, max(low, query.offset ?? low));
    case 'timestamp':
      // No record that recent: the page starts at the log end (empty until something is written).
      return byTimestamp[partition] ?? high;
  }
}

/** Reads one partition from `start`: up to `limit` matching records (the last ones for `latest`). */
async function scan(
  reader: TopicReader,
  { topic, partition, high }: PartitionWatermarks,
  start: bigint,
  query: BrowseQuery,
  signal: AbortSignal,
): Promise<{ records: ReadRecord[]; next: bigint | null }> {
  const key = `${topic}:${partition}`;
  const latest = query.from === 'latest';
  const matches: ReadRecord[] = [];
  reader.seek(key, start);
  let position = start;
  while (
    position < high &&
    position - start < MAX_SCANNED &&
    (latest || matches.length < query.limit)
  ) {
    const target = min(high, position + CHUNK);
    await reader.readUntil(
      new Map([[key, target]]),
      (records) => {
        for (const record of records) {
          if (query.key === undefined || record.key === query.key) matches.push(record);
        }
        return Promise.resolve();
      },
      signal,
    );
    position = reader.position(key) ?? target;
  }
  if (latest) return { records: matches.slice(-query.limit), next: null };
  const records = matches.slice(0, query.limit);
  const last = records.at(-1);
  const next = records.length === query.limit && last ? BigInt(last.offset) + 1n : position;
  return { records, next: next < high ? next : null };
}

function noSuchPartition(spec: TopicSpec, count: number, field: string): ApiError {
  return ApiError.invalidRequest([
    { field, message: `${spec.name} has partitions 0 to ${count - 1}` },
  ]);
}
