import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from './envelope.js';
import { causedEventId } from './ids.js';
import { eventSchemas, type DataOf, type EventOf, type EventType } from './events/index.js';

export interface EventIds {
  /** Defaults to a random UUID. */
  id?: string;
  orderId?: string;
  /** Defaults to the orderId, or to the new event's own id. */
  correlationId?: string;
  causationId?: string | null;
}

/** A new event that starts a chain, e.g. an order placed over HTTP. */
export function createEvent<T extends EventType>(
  type: T,
  data: DataOf<T>,
  ids: EventIds = {},
): EventOf<T> {
  const id = ids.id ?? randomUUID();
  const event = {
    id,
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    ...(ids.orderId === undefined ? {} : { orderId: ids.orderId }),
    correlationId: ids.correlationId ?? ids.orderId ?? id,
    causationId: ids.causationId ?? null,
    data,
  };
  return event as EventOf<T>;
}

/**
 * An event caused by another: same order and correlation id, causation id = the cause's id, and
 * an id derived from the cause, so that the same cause always yields the same event id.
 */
export function causedBy<T extends EventType>(
  cause: AnyEnvelope,
  type: T,
  data: DataOf<T>,
): EventOf<T> {
  return createEvent(type, data, {
    id: causedEventId(cause.id, type),
    ...(cause.orderId === undefined ? {} : { orderId: cause.orderId }),
    correlationId: cause.correlationId,
    causationId: cause.id,
  });
}

/** Validates an event against its type's schema, throwing a readable error. */
export function validateEvent<T extends EventType>(event: EventOf<T>): EventOf<T> {
  const result = eventSchemas[event.type as T].safeParse(event);
  if (!result.success) {
    throw new TypeError(`Invalid ${event.type}: ${describeIssues(result.error.issues)}`);
  }
  return result.data as EventOf<T>;
}

export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .map((issue) =>
      issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}
