import { Headers, topics } from '@kafkadog/contracts';
import { retryHeaders, type RawRecord, type ReadRecord } from '@kafkadog/kafka';
import { redactText } from '../http/redact.js';

/** Set on a retry record written by a redrive: the DLQ offset it came from. */
export const REDRIVEN_FROM_HEADER = 'redriven-from-dlq-offset';

/** How much of a dead letter's value GET /dlq shows. */
export const PREVIEW_CHARS = 500;

export interface DeadLetterView {
  readonly offset: number;
  readonly key: string | null;
  readonly reason: string;
  readonly error: string;
  readonly sourceTopic: string | null;
  readonly sourcePartition: number | null;
  readonly sourceOffset: number | null;
  /** The consumer group that gave up on it: the one a redrive sends it back to. */
  readonly group: string | null;
  /** When it was dead-lettered (ISO). */
  readonly at: string;
  readonly eventType: string | null;
  /** Retries it went through before it was given up. */
  readonly retries: number | null;
  readonly valuePreview: string;
  readonly valueBytes: number;
  /** Every header of the record (the event's own, and the retry and dead-letter routing). */
  readonly headers: Readonly<Record<string, string>>;
  /** The DLQ offset of an earlier dead letter this one was redriven from, if it was. */
  readonly redrivenFrom: number | null;
  readonly redriven: boolean;
}

export interface DlqStats {
  readonly total: number;
  readonly byReason: Record<string, number>;
  readonly bySourceTopic: Record<string, number>;
  readonly byGroup: Record<string, number>;
  readonly redriven: number;
  readonly oldest: string | null;
  readonly newest: string | null;
}

interface DeadLetter extends Omit<DeadLetterView, 'redriven'> {
  readonly record: ReadRecord;
}

function integerHeader(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

function preview(value: Buffer | undefined): string {
  if (!value) return '';
  // Card numbers masked: the preview is served to browsers (the redrive resends the real bytes).
  const text = redactText(value.toString('utf8'));
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

function count(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

/**
 * The dead letters of orders.dlq.v1 as GET /dlq and GET /metrics/dlq show them, and which of them
 * were redriven (learned from the retry records that carry REDRIVEN_FROM_HEADER, so it survives a
 * restart). Keeps each record's bytes, which a redrive sends back unchanged.
 */
export class DeadLetterLog {
  readonly #letters = new Map<number, DeadLetter>();
  readonly #redriven = new Set<number>();

  /** Folds a record of orders.dlq.v1. */
  add(record: ReadRecord): void {
    const h = record.headers;
    const offset = Number(record.offset);
    this.#letters.set(offset, {
      offset,
      key: record.key ?? null,
      reason: h[Headers.dlqReason] ?? 'unknown',
      error: h[Headers.dlqError] ?? '',
      sourceTopic: h[Headers.originalTopic] ?? null,
      sourcePartition: integerHeader(h[Headers.originalPartition]),
      sourceOffset: integerHeader(h[Headers.originalOffset]),
      group: h[Headers.dlqGroup] ?? null,
      at: h[Headers.dlqAt] ?? new Date(record.timestamp).toISOString(),
      eventType: h[Headers.eventType] ?? null,
      retries: integerHeader(h[Headers.retryAttempt]),
      valuePreview: preview(record.value),
      valueBytes: record.value?.length ?? 0,
      headers: Object.fromEntries(
        Object.entries(h).map(([name, value]) => [name, redactText(value)]),
      ),
      redrivenFrom: integerHeader(h[REDRIVEN_FROM_HEADER]),
      record,
    });
  }

  /** Folds a record of orders.retry.v1: one written by a redrive marks its dead letter. */
  addRetry(record: ReadRecord): void {
    const from = integerHeader(record.headers[REDRIVEN_FROM_HEADER]);
    if (from !== null) this.markRedriven(from);
  }

  markRedriven(offset: number): void {
    this.#redriven.add(offset);
  }

  isRedriven(offset: number): boolean {
    return this.#redriven.has(offset);
  }

  get(offset: number): DeadLetterView | undefined {
    const letter = this.#letters.get(offset);
    return letter && this.#view(letter);
  }

  /** The record as it was dead-lettered. */
  record(offset: number): ReadRecord | undefined {
    return this.#letters.get(offset)?.record;
  }

  /** Newest first. */
  list(limit: number): DeadLetterView[] {
    return [...this.#letters.values()]
      .sort((a, b) => b.offset - a.offset)
      .slice(0, limit)
      .map((letter) => this.#view(letter));
  }

  stats(): DlqStats {
    const byReason: Record<string, number> = {};
    const bySourceTopic: Record<string, number> = {};
    const byGroup: Record<string, number> = {};
    let oldest: string | null = null;
    let newest: string | null = null;
    let redriven = 0;
    for (const letter of this.#letters.values()) {
      count(byReason, letter.reason);
      count(bySourceTopic, letter.sourceTopic ?? 'unknown');
      count(byGroup, letter.group ?? 'unknown');
      if (this.#redriven.has(letter.offset)) redriven++;
      if (oldest === null || letter.at < oldest) oldest = letter.at;
      if (newest === null || letter.at > newest) newest = letter.at;
    }
    return {
      total: this.#letters.size,
      byReason,
      bySourceTopic,
      byGroup,
      redriven,
      oldest,
      newest,
    };
  }

  #view(letter: DeadLetter): DeadLetterView {
    const { record: _record, ...view } = letter;
    return { ...view, redriven: this.#redriven.has(letter.offset) };
  }
}

export type RedriveRecord = RawRecord & { readonly topic: string };

/**
 * The retry record that gives a dead letter one more round: its bytes and own headers, retry
 * attempt 1, due now, pointing at the original record, owned by the group that gave up on it, so
 * that only that group's retry worker runs it. Null when the dead letter lacks what this needs.
 */
export function redriveRecord(
  letter: DeadLetterView,
  record: ReadRecord,
  now: number,
): RedriveRecord | null {
  const { group, sourceTopic, sourcePartition, sourceOffset } = letter;
  if (group === null || sourceTopic === null || sourcePartition === null || sourceOffset === null) {
    return null;
  }
  const carried = new Map(
    Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
  );
  const headers = retryHeaders(carried, {
    retry: 1,
    notBefore: now,
    source: { topic: sourceTopic, partition: sourcePartition, offset: String(sourceOffset) },
    key: record.key,
    error: `redriven from ${topics.dlq.name} offset ${letter.offset}`,
    group,
  });
  headers.set(REDRIVEN_FROM_HEADER, Buffer.from(String(letter.offset)));
  return { topic: topics.retry.name, key: record.key, value: record.value, headers };
}
