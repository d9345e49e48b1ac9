import { parseEvent, topicByName, type KafkadogEvent } from '@kafkadog/contracts';
import type { ReadRecord } from '@kafkadog/kafka';
import { redactEvent, redactText } from '../http/redact.js';

/** What GET /events sends for each record, as the `data` of one server-sent event. */
export interface StreamedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  /** The record's timestamp (ISO). */
  readonly timestamp: string;
  /** The event type: the parsed event's, else the `event-type` header's. */
  readonly type: string | null;
  readonly headers: Record<string, string>;
  /** The event, when the value is a valid one (retry and dead-letter records carry one too);
   *  card numbers masked. */
  readonly event: KafkadogEvent | null;
  /** Why the value is not an event (a poison message), with its first bytes. */
  readonly invalid: {
    readonly reason: string;
    readonly error: string;
    readonly raw: string;
  } | null;
}

const RAW_PREVIEW_CHARS = 500;

export function toStreamedRecord(record: ReadRecord): StreamedRecord {
  const spec = topicByName(record.topic);
  // Retry and dead-letter records carry other topics' events: parse them without a topic check.
  const parsed = parseEvent(record.value, spec && spec.events.length > 0 ? spec : undefined);
  const raw = record.value?.toString('utf8') ?? '';
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    key: record.key ?? null,
    timestamp: new Date(record.timestamp).toISOString(),
    type: parsed.ok ? parsed.event.type : (record.headers['event-type'] ?? null),
    headers: record.headers,
    event: parsed.ok ? redactEvent(parsed.event) : null,
    invalid: parsed.ok
      ? null
      : {
          reason: parsed.reason,
          error: parsed.error,
          raw: redactText(raw).slice(0, RAW_PREVIEW_CHARS),
        },
  };
}

/**
 * One server-sent event: `id` is `topic:partition:offset`, `data` the record as JSON (one line:
 * JSON.stringify never writes a raw newline). No `event:` field, so `EventSource.onmessage` gets it.
 */
export function sseMessage(record: StreamedRecord): string {
  return `id: ${record.topic}:${record.partition}:${record.offset}\ndata: ${JSON.stringify(record)}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and the connection from timing out. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
