import { compatibilityPartitioner } from '@platformatic/kafka';
import { KafkadogError } from '../errors.js';
import { toHeaderMap } from '../records/index.js';
import type { RawRecord, RecordPosition } from './types.js';

/** A record as the client's `send` takes it. */
export function toClientMessage(record: RawRecord) {
  const headers =
    record.headers instanceof Map
      ? new Map(record.headers)
      : toHeaderMap((record.headers ?? {}) as Record<string, string>);
  const key = typeof record.key === 'string' ? Buffer.from(record.key) : record.key;
  return {
    topic: record.topic,
    ...(key === undefined ? {} : { key }),
    ...(record.value === undefined ? {} : { value: record.value }),
    headers,
    ...(record.partition === undefined ? {} : { partition: record.partition }),
    ...(record.timestamp === undefined ? {} : { timestamp: BigInt(record.timestamp) }),
  };
}

export type ClientMessage = ReturnType<typeof toClientMessage>;

/**
 * Where each record of one send was stored. The broker answers with each partition's base
 * offset; the records of a partition sit one after the other from there, in the order given.
 * The partition is the one the client chose: the explicit one, or the key's hash (keyless: 0),
 * modulo the topic's partition count.
 */
export function recordPositions(
  messages: readonly ClientMessage[],
  bases: readonly { topic: string; partition: number; offset: bigint }[],
  partitionCount: (topic: string) => number,
): RecordPosition[] {
  const next = new Map(bases.map((base) => [`${base.topic}:${base.partition}`, base.offset]));
  return messages.map((message) => {
    const partition =
      (message.partition ?? compatibilityPartitioner(undefined as never, message.key)) %
      partitionCount(message.topic);
    const key = `${message.topic}:${partition}`;
    const offset = next.get(key);
    if (offset === undefined) {
      throw new KafkadogError('PUBLISH_UNCONFIRMED', `no offset returned for ${key}`);
    }
    next.set(key, offset + 1n);
    return { topic: message.topic, partition, offset: offset.toString() };
  });
}
