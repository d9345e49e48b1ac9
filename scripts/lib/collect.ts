import { clientConnection } from '@kafkadog/kafka';
import { Consumer, stringDeserializer, type MessagesStream } from '@platformatic/kafka';
import { randomUUID } from 'node:crypto';
import { waitFor, type WaitOptions } from './wait.js';

/** A record as a test looks at it: headers decoded, key and value left as bytes. */
export interface CollectedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly headers: Record<string, string>;
  readonly timestamp: number;
  /** Local clock when the record arrived here. */
  readonly receivedAt: number;
}

export interface RecordCollector {
  readonly records: readonly CollectedRecord[];
  /** Resolves once at least `count` records arrived. */
  waitForCount(count: number, options?: WaitOptions): Promise<readonly CollectedRecord[]>;
  /** Resolves once every record written to the topic so far arrived: an exact snapshot. */
  untilEnd(options?: WaitOptions): Promise<readonly CollectedRecord[]>;
  close(): Promise<void>;
}

export interface CollectOptions {
  /** The observer's group id is this prefix and a random suffix (default `test.collector`). */
  readonly groupPrefix?: string;
  /** Called with every record as it arrives. */
  readonly onRecord?: (record: CollectedRecord) => void;
  /**
   * Keep every record in `records` (default true). A long run that only needs `onRecord` turns
   * it off, so its memory does not grow with the topic.
   */
  readonly keep?: boolean;
}

/**
 * Reads a topic from its first record, in the background, with a group of its own that commits
 * nothing: an independent observer of what really is in the topic.
 */
export async function collectRecords(
  brokers: string[],
  topic: string,
  options: CollectOptions = {},
): Promise<RecordCollector> {
  const { groupPrefix = 'test.collector', onRecord, keep = true } = options;
  const consumer = new Consumer<Buffer, Buffer, string, string>({
    clientId: groupPrefix.replace(/\./g, '-'),
    groupId: `${groupPrefix}.${randomUUID()}`,
    ...clientConnection(brokers),
    autocommit: false,
    maxWaitTime: 200,
    deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  const records: CollectedRecord[] = [];
  const stream: MessagesStream<Buffer, Buffer, string, string> = await consumer.consume({
    topics: [topic],
    mode: 'earliest',
    autocommit: false,
  });
  stream.on('data', (message) => {
    const record: CollectedRecord = {
      topic: message.topic,
      partition: message.partition,
      offset: Number(message.offset),
      key: message.key ?? undefined,
      value: message.value ?? undefined,
      headers: Object.fromEntries(message.headers),
      timestamp: Number(message.timestamp),
      receivedAt: Date.now(),
    };
    if (keep) records.push(record);
    onRecord?.(record);
  });
  return {
    records,
    waitForCount: (count, options) =>
      waitFor(() => records.length >= count && records, {
        what: `${count} records in ${topic} (have ${records.length})`,
        ...options,
      }),
    async untilEnd(options) {
      const ends = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
      return waitFor(
        () =>
          ends.every(
            (end, partition) =>
              end === 0n ||
              records.some(
                (record) => record.partition === partition && BigInt(record.offset) + 1n >= end,
              ),
          ) && records,
        { what: `all records written to ${topic}`, ...options },
      );
    },
    async close() {
      await stream.close();
      await consumer.close(true);
    },
  };
}
