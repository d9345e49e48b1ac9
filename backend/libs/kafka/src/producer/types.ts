import type { KafkadogEvent } from '@kafkadog/contracts';
import type { Brokers } from '../brokers.js';
import type { Logger } from '../logger.js';
import type { KafkaMetrics } from '../metrics/index.js';
import type { HeaderInput } from '../records/index.js';

export interface ProducerOptions {
  readonly brokers: Brokers;
  readonly clientId: string;
  readonly logger?: Logger;
  readonly metrics?: KafkaMetrics;
  /**
   * How often the client tries a send again after a transient failure (1 s apart) before
   * `publish` rejects with PUBLISH_FAILED; default 5, at least 2. The client's own default for an
   * idempotent producer is unlimited (and it turns 0 or 1 into unlimited too): a publish to a
   * missing topic, or while Kafka is down, would then never return.
   */
  readonly retries?: number;
}

export interface PublishOptions {
  /** Publish to this topic instead of the registry's, e.g. a test's own copy of a topic. */
  readonly topic?: string;
  /** Extra headers, added to the event headers. */
  readonly headers?: HeaderInput;
}

/** Where the broker stored a record. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface RawRecord {
  readonly topic: string;
  readonly key?: Buffer | string | undefined;
  readonly value: Buffer | undefined;
  readonly headers?: HeaderInput | ReadonlyMap<string, Buffer>;
  readonly partition?: number;
  /** The record's timestamp (epoch ms); by default the time the producer sends it. */
  readonly timestamp?: number;
}

export interface EventProducer {
  readonly clientId: string;
  /**
   * Validates the event, then sends it keyed by `keyOf(event)` to `topicOf(event.type)` (or the
   * override) with the event headers, and resolves once every in-sync replica has it.
   */
  publish(event: KafkadogEvent, options?: PublishOptions): Promise<RecordPosition>;
  /** Sends bytes as they are: for retry and dead-letter records, and for tests. */
  sendRaw(record: RawRecord): Promise<RecordPosition>;
  /**
   * Sends records together (one request while nothing else is in flight) and resolves with
   * where each one was stored, in the same order, once every in-sync replica has them all.
   */
  sendMany(records: readonly RawRecord[]): Promise<RecordPosition[]>;
  /** The record `publish` would send for the event (validated, keyed, with its headers). */
  eventRecord(event: KafkadogEvent, options?: PublishOptions): RawRecord;
  close(): Promise<void>;
}
