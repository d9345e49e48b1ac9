// An order's saga as a waterfall of hops, from the timeline of GET /orders/:id.
import type { TimelineEntry, TimelineKind } from './definitions';
import { formatDuration } from './format';

export interface Hop {
  readonly entry: TimelineEntry;
  readonly kind: TimelineKind;
  /** The record's time, in ms after the first record of the order. */
  readonly at: number;
  /** Where the hop's bar starts (ms after the first record). */
  readonly start: number;
  /** Time the cause waited in its topic before a consumer took it, when the gateway knows. */
  readonly waitMs: number | null;
  /** Time from taken to this record written, when the gateway knows. */
  readonly processMs: number | null;
  /** Index of the hop that caused this one (by causationId, else by the saga's shape). */
  readonly cause: number | null;
  /** Index of the step this compensation undoes. */
  readonly compensates: number | null;
  /** Indexes of the compensations that undo this step. */
  readonly compensatedBy: number[];
  /** e.g. `attempt 2 of 5, next in 4 s`. */
  readonly attemptLabel: string | null;
  readonly terminal: boolean;
}

export interface Waterfall {
  readonly hops: Hop[];
  /** The first record's time (epoch ms). */
  readonly origin: number;
  /** From the first record to the last (ms), at least 1. */
  readonly span: number;
}

/** When the gateway does not say `compensates`: the step each compensation undoes. */
export const COMPENSATES: Readonly<Record<string, string>> = {
  InventoryReleased: 'InventoryReserved',
  PaymentVoided: 'PaymentAuthorized',
};

const REPLIES = new Set([
  'PaymentAuthorized',
  'PaymentDeclined',
  'InventoryReserved',
  'InventoryRejected',
]);
const OUTCOMES = new Set(['OrderCompleted', 'OrderCancelled']);

export function kindOf(entry: TimelineEntry): TimelineKind {
  if (entry.kind) return entry.kind;
  if (entry.topic === 'orders.retry.v1') return 'retry';
  if (entry.topic === 'orders.dlq.v1') return 'dead-letter';
  return 'event';
}

export function attemptLabel(entry: TimelineEntry): string | null {
  if (entry.attempt === undefined) return null;
  const of = entry.maxAttempts !== undefined ? ` of ${entry.maxAttempts}` : '';
  const delay =
    entry.notBefore !== undefined
      ? Date.parse(entry.notBefore) - Date.parse(entry.timestamp)
      : Number.NaN;
  const next = Number.isFinite(delay) ? `, next in ${formatDuration(Math.max(0, delay))}` : '';
  return `attempt ${entry.attempt}${of}${next}`;
}

function lastIndexBefore(
  entries: readonly TimelineEntry[],
  before: number,
  match: (entry: TimelineEntry) => boolean,
): number | null {
  for (let i = before - 1; i >= 0; i--) if (match(entries[i]!)) return i;
  return null;
}

function inferredCause(entries: readonly TimelineEntry[], index: number): number | null {
  const entry = entries[index]!;
  if (entry.causationId) {
    const byId = entries.findIndex((other) => other.eventId === entry.causationId);
    if (byId >= 0 && byId !== index) return byId;
  }
  const type = entry.type;
  if (REPLIES.has(type) || kindOf(entry) !== 'event') {
    return lastIndexBefore(entries, index, (other) => other.type === 'OrderPlaced');
  }
  if (OUTCOMES.has(type))
    return lastIndexBefore(entries, index, (other) => REPLIES.has(other.type));
  if (COMPENSATES[type])
    return lastIndexBefore(entries, index, (other) => other.type === 'OrderCancelled');
  return null;
}

function compensated(entries: readonly TimelineEntry[], index: number): number | null {
  const entry = entries[index]!;
  if (entry.compensates) {
    const byId = entries.findIndex((other) => other.eventId === entry.compensates);
    if (byId >= 0) return byId;
  }
  const undone = COMPENSATES[entry.type];
  if (!undone) return null;
  const before = lastIndexBefore(entries, index, (other) => other.type === undone);
  if (before !== null) return before;
  // Replies can be read after the record they undo was written: look at the whole order.
  const anywhere = entries.findIndex((other) => other.type === undone);
  return anywhere >= 0 ? anywhere : null;
}

function time(entry: TimelineEntry): number {
  const at = Date.parse(entry.timestamp);
  return Number.isNaN(at) ? 0 : at;
}

/** The hops in record-time order, each placed on one time axis from the order's first record. */
export function buildWaterfall(timeline: readonly TimelineEntry[]): Waterfall {
  const entries = [...timeline].sort((a, b) => time(a) - time(b));
  const origin = entries.length > 0 ? time(entries[0]!) : 0;
  const hops: Hop[] = entries.map((entry, index) => {
    const at = time(entry) - origin;
    const waitMs = entry.waitMs ?? null;
    const processMs = entry.processMs ?? null;
    const cause = inferredCause(entries, index);
    const measured = (waitMs ?? 0) + (processMs ?? 0);
    const start =
      waitMs !== null || processMs !== null
        ? Math.max(0, at - measured)
        : cause !== null
          ? Math.min(at, time(entries[cause]!) - origin)
          : at;
    const kind = kindOf(entry);
    return {
      entry,
      kind,
      at,
      start,
      waitMs,
      processMs,
      cause,
      compensates: compensated(entries, index),
      compensatedBy: [],
      attemptLabel: attemptLabel(entry),
      terminal: kind === 'dead-letter' || OUTCOMES.has(entry.type),
    };
  });
  hops.forEach((hop, index) => {
    if (hop.compensates !== null) hops[hop.compensates]!.compensatedBy.push(index);
  });
  const last = hops.at(-1);
  return { hops, origin, span: Math.max(1, last ? last.at : 1) };
}
