import { AnyEnvelope } from './envelope.js';
import { eventSchemas, isEventType, type KafkadogEvent } from './events/index.js';
import { DlqReasons, type DlqReason } from './headers.js';
import { describeIssues } from './create.js';
import type { TopicSpec } from './topics.js';

export type ParseResult =
  { ok: true; event: KafkadogEvent } | { ok: false; reason: DlqReason; error: string };

/**
 * Turns a record value into a validated event, or says exactly why it is a poison message.
 * Never throws: a consumer dead-letters a failure and moves on.
 */
export function parseEvent(
  value: Uint8Array | string | null | undefined,
  topic?: TopicSpec,
): ParseResult {
  if (value === null || value === undefined || value.length === 0) {
    return { ok: false, reason: DlqReasons.invalidJson, error: 'empty record value' };
  }
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: DlqReasons.invalidJson, error: (error as Error).message };
  }
  const envelope = AnyEnvelope.safeParse(json);
  if (!envelope.success) {
    return {
      ok: false,
      reason: DlqReasons.invalidSchema,
      error: describeIssues(envelope.error.issues),
    };
  }
  const { type } = envelope.data;
  if (!isEventType(type)) {
    return { ok: false, reason: DlqReasons.unknownEventType, error: `unknown event type ${type}` };
  }
  if (topic && !(topic.events as readonly string[]).includes(type)) {
    return {
      ok: false,
      reason: DlqReasons.wrongTopic,
      error: `${type} does not belong on ${topic.name}`,
    };
  }
  const event = eventSchemas[type].safeParse(json);
  if (!event.success) {
    return {
      ok: false,
      reason: DlqReasons.invalidSchema,
      error: `${type}: ${describeIssues(event.error.issues)}`,
    };
  }
  return { ok: true, event: event.data };
}

export function serializeEvent(event: KafkadogEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}
