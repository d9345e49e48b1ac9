import type { Message } from '@platformatic/kafka';
import type { RecordHeaders } from './headers.js';

/** A record as this library hands it around: bigint offsets and timestamps already converted. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  /** A string, because offsets are 64-bit and a JavaScript number is exact only up to 2^53. */
  readonly offset: string;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly headers: RecordHeaders;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

/** Converts a client message at the edge, once. */
export function fromMessage(message: Message<Buffer, Buffer, string, Buffer>): ConsumedRecord {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset.toString(),
    key: message.key ?? undefined,
    value: message.value ?? undefined,
    headers: message.headers,
    timestamp: Number(message.timestamp),
  };
}
