import { Headers, type DlqReason, type KafkadogEvent } from '@kafkadog/contracts';

/** Header values as the library accepts them; they travel as UTF-8 bytes. */
export type HeaderInput = Readonly<Record<string, string | number | Buffer | undefined>>;
/** Headers of a consumed record: names decoded, values left as the bytes that were sent. */
export type RecordHeaders = ReadonlyMap<string, Buffer>;

export function toHeaderMap(input: HeaderInput): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (const [name, value] of Object.entries(input)) {
    if (value !== undefined)
      map.set(name, Buffer.isBuffer(value) ? value : Buffer.from(String(value)));
  }
  return map;
}

export function headerString(headers: RecordHeaders, name: string): string | undefined {
  return headers.get(name)?.toString('utf8');
}

export function headersToObject(headers: RecordHeaders): Record<string, string> {
  return Object.fromEntries([...headers].map(([name, value]) => [name, value.toString('utf8')]));
}

/** What every event carries, so tools can route and trace it without parsing the value. */
export function eventHeaders(event: KafkadogEvent): Record<string, string> {
  return {
    [Headers.eventType]: event.type,
    [Headers.eventVersion]: String(event.version),
    [Headers.eventId]: event.id,
    [Headers.correlationId]: event.correlationId,
    ...(event.causationId === null ? {} : { [Headers.causationId]: event.causationId }),
  };
}

/** Where a record was first read: the coordinates a retry or a dead letter points back to. */
export interface SourcePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

// Set by the retry and DLQ paths; dropped from carried headers so a record never holds two values.
const routingHeaders: ReadonlySet<string> = new Set([
  Headers.retryAttempt,
  Headers.retryNotBefore,
  Headers.retryMaxAttempts,
  Headers.originalTopic,
  Headers.originalPartition,
  Headers.originalOffset,
  Headers.originalKey,
  Headers.error,
  Headers.retryGroup,
  Headers.dlqReason,
  Headers.dlqError,
  Headers.dlqGroup,
  Headers.dlqAt,
]);

/** The record's own headers (event-type, event-id, …) without earlier routing headers. */
export function carriedHeaders(headers: RecordHeaders): Map<string, Buffer> {
  return new Map([...headers].filter(([name]) => !routingHeaders.has(name)));
}

// Header values are for people and tools: one line, bounded.
export function headerText(text: string, max = 1000): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface RetryHeaderFields {
  /** The number of this retry: 1 for the first one. */
  readonly retry: number;
  /** Epoch milliseconds before which the retry must not run. */
  readonly notBefore: number;
  readonly source: SourcePosition;
  readonly key: string | undefined;
  readonly error: string;
  /** The consumer group whose retry worker owns the record. */
  readonly group: string;
  /** The attempts the policy allows in all, for people reading the record ("attempt 2 of 5"). */
  readonly maxAttempts?: number;
}

export function retryHeaders(
  carried: RecordHeaders,
  fields: RetryHeaderFields,
): Map<string, Buffer> {
  return new Map([
    ...carriedHeaders(carried),
    ...toHeaderMap({
      [Headers.retryAttempt]: fields.retry,
      [Headers.retryNotBefore]: fields.notBefore,
      [Headers.retryMaxAttempts]: fields.maxAttempts,
      [Headers.originalTopic]: fields.source.topic,
      [Headers.originalPartition]: fields.source.partition,
      [Headers.originalOffset]: fields.source.offset,
      [Headers.originalKey]: fields.key,
      [Headers.error]: headerText(fields.error),
      [Headers.retryGroup]: fields.group,
    }),
  ]);
}

export type RetryHeaderParse =
  { ok: true; fields: RetryHeaderFields } | { ok: false; error: string };

export function parseRetryHeaders(headers: RecordHeaders): RetryHeaderParse {
  const text = (name: string) => headerString(headers, name);
  const integer = (name: string, min: number): number | undefined => {
    const raw = text(name);
    if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
    const value = Number(raw);
    return Number.isSafeInteger(value) && value >= min ? value : undefined;
  };
  const retry = integer(Headers.retryAttempt, 1);
  const notBefore = integer(Headers.retryNotBefore, 0);
  const topic = text(Headers.originalTopic);
  const partition = integer(Headers.originalPartition, 0);
  const offset = text(Headers.originalOffset);
  const group = text(Headers.retryGroup);
  const maxAttempts = integer(Headers.retryMaxAttempts, 1);
  if (
    retry === undefined ||
    notBefore === undefined ||
    !topic ||
    partition === undefined ||
    offset === undefined ||
    !/^\d+$/.test(offset) ||
    !group
  ) {
    const invalid = Object.entries({
      [Headers.retryAttempt]: retry,
      [Headers.retryNotBefore]: notBefore,
      [Headers.originalTopic]: topic || undefined,
      [Headers.originalPartition]: partition,
      [Headers.originalOffset]: offset !== undefined && /^\d+$/.test(offset) ? offset : undefined,
      [Headers.retryGroup]: group || undefined,
    })
      .filter(([, value]) => value === undefined)
      .map(([name]) => name);
    return { ok: false, error: `retry record without a valid ${invalid.join(', ')} header` };
  }
  return {
    ok: true,
    fields: {
      retry,
      notBefore,
      source: { topic, partition, offset },
      key: text(Headers.originalKey),
      error: text(Headers.error) ?? '',
      group,
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    },
  };
}

export interface DlqHeaderFields {
  readonly reason: DlqReason;
  readonly error: string;
  /** The consumer group that gave up on the record. */
  readonly group: string;
  readonly source: SourcePosition;
  /** How many retries the record went through before it was given up, if any. */
  readonly retries?: number;
  readonly at?: Date;
}

export function dlqHeaders(carried: RecordHeaders, fields: DlqHeaderFields): Map<string, Buffer> {
  return new Map([
    ...carriedHeaders(carried),
    ...toHeaderMap({
      [Headers.dlqReason]: fields.reason,
      [Headers.dlqError]: headerText(fields.error),
      [Headers.dlqGroup]: fields.group,
      [Headers.originalTopic]: fields.source.topic,
      [Headers.originalPartition]: fields.source.partition,
      [Headers.originalOffset]: fields.source.offset,
      [Headers.retryAttempt]: fields.retries,
      [Headers.dlqAt]: (fields.at ?? new Date()).toISOString(),
    }),
  ]);
}
