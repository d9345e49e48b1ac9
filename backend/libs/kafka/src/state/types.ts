import type { z } from 'zod';
import type { Brokers } from '../brokers.js';
import type { Logger } from '../logger.js';
import type { BatchOutput } from '../consumer/batch.js';
import type { EventProducer } from '../producer/index.js';

/** A record read without a consumer group: key and headers decoded, the value left as bytes. */
export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  /** A string, because offsets are 64-bit (see ConsumedRecord). */
  readonly offset: string;
  readonly key: string | undefined;
  /** Undefined for a tombstone (a record with a null value). */
  readonly value: Buffer | undefined;
  readonly headers: Record<string, string>;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

export type RecordCallback = (record: ReadRecord) => void | Promise<void>;

export interface TailOptions {
  readonly brokers: Brokers;
  readonly topics: readonly string[];
  /** `earliest` (default): everything still in the topics, then new records; `latest`: only new ones. */
  readonly from?: 'earliest' | 'latest';
  /**
   * Per topic, where to start instead of `from`: `latest`, or the first record at or after a time
   * (epoch ms, by the broker's time index).
   */
  readonly startAt?: ReadonlyMap<string, 'earliest' | 'latest' | number>;
  /**
   * Called for one record at a time, in order within each partition. A record whose callback
   * throws is logged and skipped: a tail feeds views, and one bad record must not stop them.
   */
  readonly onRecord: RecordCallback;
  readonly clientId?: string;
  readonly logger?: Logger;
  /** How long the broker holds a fetch open while there is nothing new; default 500 ms. */
  readonly maxWaitMs?: number;
  /**
   * How many bytes the broker gathers before it answers a fetch (waiting up to `maxWaitMs`);
   * default 1. A view that may trail the log by `maxWaitMs` then takes many records per fetch
   * instead of one fetch for every record written.
   */
  readonly minBytes?: number;
}

export interface TopicTail {
  /**
   * Resolves once every partition was read up to its log end as it was when the tail started
   * (at once for `from: 'latest'`). Rejects if the tail is closed before that.
   */
  readonly caughtUp: Promise<void>;
  /** Stops fetching, waits for the callback in progress, and disconnects. */
  close(): Promise<void>;
}

export interface ReadToEndOptions {
  readonly brokers: Brokers;
  readonly topics: readonly string[];
  /**
   * Start at each partition's first record at or after this time (epoch ms, by the broker's
   * time index) instead of its oldest: a read whose cost does not grow with the topic's history.
   */
  readonly from?: number;
  /** Called for one record at a time; an error stops the read and rejects `readToEnd`. */
  readonly onRecord: RecordCallback;
  readonly clientId?: string;
  readonly logger?: Logger;
}

export interface StateStoreOptions<T> {
  readonly brokers: Brokers;
  /** A compacted topic (`cleanup.policy=compact`): the latest value of each key is kept forever. */
  readonly topic: string;
  /** Writes the values; its acks=all is what makes `set` durable. */
  readonly producer: EventProducer;
  /** Every value read or written is checked against it. */
  readonly schema: z.ZodType<T>;
  readonly logger?: Logger;
  readonly clientId?: string;
  /**
   * Told each time a key's value changes (read, staged, deleted or forgotten), with the value it
   * had: a view folded from these calls (e.g. the stock over all orders) stays equal to a fold
   * over the store. A new store starts empty; a read of the whole topic (the first load, a
   * reload) tells each key once, with its newest value.
   */
  readonly onChange?: (key: string, value: T | undefined, previous: T | undefined) => void;
}

/**
 * key → value, kept in a compacted topic and rebuilt from it: the topic is the source of truth,
 * the local copy (a temporary database on disk, its keys in use cached in memory) only a view
 * of it.
 */
export interface StateStore<T> {
  /**
   * Reads the topic up to its log end as it is now. The first call rebuilds the map from the
   * oldest record; each later call only reads what was written since (by this process or any
   * other), so calling it again is how a process catches up with other writers.
   */
  load(): Promise<void>;
  /** Forgets the local copy and reads the topic again from its oldest record. */
  reload(): Promise<void>;
  get(key: string): T | undefined;
  entries(): IterableIterator<[string, T]>;
  readonly size: number;
  /** How many records the store has read from its topic so far (its own writes not counted). */
  readonly records: number;
  /** Validates and writes the value; resolves once every in-sync replica has it (acks=all). */
  set(key: string, value: T): Promise<void>;
  /**
   * Validates the value and sets it locally at once; its record joins `out`, to be written with
   * the rest of a batch (a key staged twice in one batch is written once, with its last value).
   */
  stage(key: string, value: T, out: BatchOutput): void;
  /**
   * Removes the key at once, and stages its tombstone (a record with a null value) into `out`:
   * once compacted, the topic forgets the key too.
   */
  stageDelete(key: string, out: BatchOutput): void;
  /** The keys whose value was last written before `time` (epoch ms), by its record's timestamp. */
  unchangedSince(time: number): IterableIterator<string>;
  /** Disconnects the reader and deletes the local copy. */
  close(): Promise<void>;
}
