import { parseEvent, topicByName, type KafkadogEvent } from '@kafkadog/contracts';
import { readToEnd, silentLogger, type ReadRecord } from '@kafkadog/kafka';

/** A record as the system tests look at it: its bytes, headers, and the event when it is one. */
export interface TopicRecord extends ReadRecord {
  /** The value as UTF-8 text. */
  readonly text: string;
  /** The validated event, when the value is one valid for the topic. */
  readonly event: KafkadogEvent | undefined;
}

/**
 * Everything in `topic` up to its log end when called, from the beginning, without a consumer
 * group (so it neither commits anything nor shows up in the group list).
 */
export async function readTopic(brokers: string[], topic: string): Promise<TopicRecord[]> {
  // The retry and dead-letter topics carry other topics' events: validate those without a topic.
  const registered = topicByName(topic);
  const spec = registered && registered.events.length > 0 ? registered : undefined;
  const records: TopicRecord[] = [];
  await readToEnd({
    brokers,
    topics: [topic],
    clientId: 'kafkadog-system-test',
    logger: silentLogger,
    onRecord: (record) => {
      const parsed = parseEvent(record.value, spec);
      records.push({
        ...record,
        text: record.value?.toString('utf8') ?? '',
        event: parsed.ok ? parsed.event : undefined,
      });
    },
  });
  return records;
}

/** The events of these records, of one type or all. */
export function eventsOf<T extends KafkadogEvent['type']>(
  records: readonly TopicRecord[],
  type?: T,
): Extract<KafkadogEvent, { type: T }>[] {
  return records
    .map((record) => record.event)
    .filter(
      (event): event is Extract<KafkadogEvent, { type: T }> =>
        event !== undefined && (type === undefined || event.type === type),
    );
}

/** The events of one order, of one type or all. */
export function orderEvents<T extends KafkadogEvent['type']>(
  records: readonly TopicRecord[],
  orderId: string,
  type?: T,
): Extract<KafkadogEvent, { type: T }>[] {
  return eventsOf(records, type).filter((event) => event.orderId === orderId);
}

/** How many records each order id has, by its events' orderId. */
export function countByOrder(records: readonly TopicRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of eventsOf(records)) {
    if (event.orderId === undefined) continue;
    counts.set(event.orderId, (counts.get(event.orderId) ?? 0) + 1);
  }
  return counts;
}

/**
 * The latest value per key of a compacted state topic, as JSON (what `createStateStore` wrote),
 * tombstones dropped.
 */
export async function readState<T = unknown>(
  brokers: string[],
  topic: string,
): Promise<Map<string, T>> {
  const state = new Map<string, T>();
  for (const record of await readTopic(brokers, topic)) {
    if (record.key === undefined) continue;
    if (record.value === undefined) state.delete(record.key);
    else state.set(record.key, JSON.parse(record.text) as T);
  }
  return state;
}
