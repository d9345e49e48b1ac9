import type { ReadRecord } from '@kafkadog/kafka';
import { redactText } from '../../http/redact.js';

/** One record as the explorer shows it. */
export interface MessageView {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly timestamp: string;
  readonly headers: Record<string, string>;
  /** The value as UTF-8 text, card numbers masked; empty for a tombstone. */
  readonly value: string;
  /** The value parsed, when it is JSON (masked the same way). */
  readonly json: unknown;
  /** The value's size in bytes, as stored. */
  readonly size: number;
  /** A record with a null value: on a compacted topic, the deletion of its key. */
  readonly tombstone: boolean;
}

export function toMessageView(record: ReadRecord): MessageView {
  const value = redactText(record.value?.toString('utf8') ?? '');
  return {
    partition: record.partition,
    offset: record.offset,
    key: record.key ?? null,
    timestamp: new Date(record.timestamp).toISOString(),
    headers: record.headers,
    value,
    json: parseJson(value),
    size: record.value?.length ?? 0,
    tombstone: record.value === undefined,
  };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a poison pill, or plain text): the text alone is shown.
    return null;
  }
}

/**
 * Records of several partitions in one list: by timestamp, then partition and offset, so that a
 * page is stable however the partitions' reads came back.
 */
export function byTime(a: ReadRecord, b: ReadRecord): number {
  return (
    a.timestamp - b.timestamp ||
    a.partition - b.partition ||
    (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0)
  );
}
