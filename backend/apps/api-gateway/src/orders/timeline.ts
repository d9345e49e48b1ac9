import { Headers, parseEvent, undoneBy } from '@kafkadog/contracts';
import type { ReadRecord } from '@kafkadog/kafka';
import { REDRIVEN_FROM_HEADER } from '../dlq/dead-letters.js';

/** An event of the order's flow, a retry of one, or a dead letter (the terminal hop). */
export type TimelineKind = 'event' | 'retry' | 'dead-letter';

export interface TimelineEntry {
  readonly kind: TimelineKind;
  /** The event's type; for a retry or a dead letter, the type of the event it carries. */
  readonly type: string;
  /** The event's id; for a retry or a dead letter, `topic:partition:offset` of its record. */
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: string;
  /** The id of the event that caused this one (null for an order placed by a person). */
  readonly causationId?: string | null;
  /** How long the cause waited in its topic before a consumer took it (ms). */
  readonly waitMs?: number;
  /** From the consumer taking the cause to this record being written (ms). */
  readonly processMs?: number;
  /** For a compensation: the eventId of the step it undoes. */
  readonly compensates?: string;
  /** Retry: the attempt it schedules (2 for the first retry); dead letter: the attempts made. */
  readonly attempt?: number;
  readonly maxAttempts?: number;
  /** Retry: not run before this time. */
  readonly notBefore?: string;
  readonly error?: string;
  /** The consumer group that failed (retry) or gave up (dead letter). */
  readonly group?: string;
  /** Dead letter: why, e.g. `retries_exhausted`. */
  readonly reason?: string;
  /** Retry written by a redrive: the DLQ offset it came from. */
  readonly redrivenFrom?: number;
}

/** What the read model keeps: the entry, and when its cause was taken (from `handled-at`). */
export interface StoredEntry extends TimelineEntry {
  readonly handledAt?: number;
}

function integer(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * A record of orders.retry.v1 or orders.dlq.v1 as an entry of its order's timeline, with the
 * order's id (the record key, else the carried event's). Undefined when it is about no order.
 */
export function routedEntry(
  record: ReadRecord,
): { orderId: string; entry: StoredEntry } | undefined {
  const parsed = parseEvent(record.value);
  const orderId = (parsed.ok ? parsed.event.orderId : undefined) ?? record.key;
  if (!orderId) return undefined;
  const h = record.headers;
  const retries = integer(h[Headers.retryAttempt]);
  const base = {
    type: parsed.ok ? parsed.event.type : (h[Headers.eventType] ?? 'unknown'),
    eventId: `${record.topic}:${record.partition}:${record.offset}`,
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: new Date(record.timestamp).toISOString(),
    causationId: parsed.ok ? parsed.event.id : null,
  };
  if (h[Headers.dlqReason] !== undefined) {
    const entry: StoredEntry = {
      kind: 'dead-letter',
      ...base,
      ...defined({
        reason: h[Headers.dlqReason],
        error: h[Headers.dlqError],
        group: h[Headers.dlqGroup],
        attempt: retries === undefined ? undefined : retries + 1,
      }),
    };
    return { orderId, entry };
  }
  const notBefore = integer(h[Headers.retryNotBefore]);
  const entry: StoredEntry = {
    kind: 'retry',
    ...base,
    ...defined({
      // Retry n is the record of attempt n + 1.
      attempt: retries === undefined ? undefined : retries + 1,
      maxAttempts: integer(h[Headers.retryMaxAttempts]),
      notBefore: notBefore === undefined ? undefined : new Date(notBefore).toISOString(),
      error: h[Headers.error],
      group: h[Headers.retryGroup],
      redrivenFrom: integer(h[REDRIVEN_FROM_HEADER]),
    }),
  };
  return { orderId, entry };
}

/**
 * The timeline as served: each caused event's hop split into the time its cause waited in the
 * topic and the time it took to process, and each compensation linked to the step it undoes.
 * Done when read, because a cause may be folded after the events it caused.
 */
export function servedTimeline(entries: readonly StoredEntry[]): TimelineEntry[] {
  const events = new Map(
    entries.filter((entry) => entry.kind === 'event').map((entry) => [entry.eventId, entry]),
  );
  return entries.map(({ handledAt, ...entry }) => {
    const cause = entry.causationId ? events.get(entry.causationId) : undefined;
    const hop =
      entry.kind === 'event' && cause && handledAt !== undefined
        ? {
            waitMs: Math.max(0, handledAt - Date.parse(cause.timestamp)),
            processMs: Math.max(0, Date.parse(entry.timestamp) - handledAt),
          }
        : {};
    const step = entry.kind === 'event' ? undoneBy(entry.type) : undefined;
    const undone = step && entries.find((other) => other.kind === 'event' && other.type === step);
    return { ...entry, ...hop, ...(undone ? { compensates: undone.eventId } : {}) };
  });
}
