import { describeIssues } from '@kafkadog/contracts';
import { describeError, KafkadogError } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { BatchOutput } from '../consumer/batch.js';
import type { RecordPosition } from '../producer/index.js';
import { TopicReader } from './reader.js';
import type { ReadRecord, StateStore, StateStoreOptions } from './types.js';

interface Version {
  readonly partition: number;
  readonly offset: bigint;
}

interface Entry<T> extends Version {
  readonly value: T;
  /** When the value was written (its record's timestamp; epoch ms). */
  readonly at: number;
}

/**
 * A key → value map whose source of truth is a compacted topic. `set` writes the value (JSON,
 * keyed by the map key) and resolves after acks=all; `load` reads what the topic holds, so a new
 * process, or one that lost its memory to a crash, gets every acknowledged value back. A record
 * with a null value (a tombstone) deletes its key; a value that fails the schema is logged and
 * skipped, never loaded.
 */
export function createStateStore<T>(options: StateStoreOptions<T>): StateStore<T> {
  const { topic, producer, schema } = options;
  const logger = options.logger ?? consoleLogger;
  const reader = new TopicReader({
    brokers: options.brokers,
    topics: [topic],
    clientId: options.clientId ?? `${producer.clientId}.state`,
    logger,
  });
  const values = new Map<string, Entry<T>>();
  // Keys whose latest record is a tombstone, and where it was: an older write that is
  // acknowledged late must not bring the key back.
  const deleted = new Map<string, Version>();
  const abort = new AbortController();
  let positioned = false;
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  /** Whether a record at this position is newer than what the map holds for the key. */
  function isNewer(key: string, partition: number, offset: bigint): boolean {
    const known = values.get(key) ?? deleted.get(key);
    return !known || known.partition !== partition || known.offset < offset;
  }

  let read = 0;

  function apply(record: ReadRecord): void {
    read++;
    const where = { topic, partition: record.partition, offset: record.offset, key: record.key };
    if (record.key === undefined) {
      logger.warn('state record without a key skipped', where);
      return;
    }
    const offset = BigInt(record.offset);
    if (!isNewer(record.key, record.partition, offset)) return;
    if (record.value === undefined) {
      values.delete(record.key);
      deleted.set(record.key, { partition: record.partition, offset });
      options.onChange?.(record.key, undefined);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(record.value.toString('utf8'));
    } catch (error) {
      logger.warn('state record is not JSON; skipped', { ...where, error: describeError(error) });
      return;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      logger.warn('state record does not match its schema; skipped', {
        ...where,
        error: describeIssues(parsed.error.issues),
      });
      return;
    }
    values.set(record.key, {
      value: parsed.data,
      partition: record.partition,
      offset,
      at: record.timestamp,
    });
    deleted.delete(record.key);
    options.onChange?.(record.key, parsed.data);
  }

  function written(key: string, entry: Entry<T>, stored: RecordPosition): void {
    const offset = BigInt(stored.offset);
    if (values.get(key) === entry) {
      values.set(key, { ...entry, partition: stored.partition, offset });
    }
    // The reader need not fetch our own write back when it is the next record it would read.
    const partitionKey = `${topic}:${stored.partition}`;
    if (reader.position(partitionKey) === offset) reader.seek(partitionKey, offset + 1n);
  }

  async function catchUp(): Promise<void> {
    try {
      if (!positioned) {
        for (const [key, offset] of await reader.offsets('earliest')) reader.seek(key, offset);
        positioned = true;
      }
      const end = await reader.offsets('latest');
      await reader.readUntil(
        end,
        (records) => {
          for (const record of records) apply(record);
          return Promise.resolve();
        },
        abort.signal,
      );
    } catch (error) {
      if (error instanceof KafkadogError && error.code === 'ABORTED') throw error;
      throw new KafkadogError(
        'STATE_LOAD_FAILED',
        `could not read the state in ${topic}: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    }
  }

  return {
    load() {
      // One read at a time. A caller joins the read that is queued but not started yet: it will
      // list the log end after this call, so it sees everything acknowledged before it.
      if (!queued) {
        const next = running.then(() => {
          queued = undefined;
          return catchUp();
        });
        queued = next;
        running = next.catch(() => {});
      }
      return queued;
    },

    reload() {
      // Joins the queue like `load`, so that no read is under way while the map is emptied.
      const next = running.then(() => {
        for (const key of values.keys()) options.onChange?.(key, undefined);
        values.clear();
        deleted.clear();
        positioned = false;
        return catchUp();
      });
      running = next.catch(() => {});
      return next;
    },

    get(key) {
      return values.get(key)?.value;
    },

    *entries(): IterableIterator<[string, T]> {
      for (const [key, entry] of values) yield [key, entry.value];
    },

    get size() {
      return values.size;
    },

    *unchangedSince(time: number): IterableIterator<string> {
      for (const [key, entry] of values) if (entry.at < time) yield key;
    },

    get records() {
      return read;
    },

    async set(key, value) {
      const out = new BatchOutput();
      this.stage(key, value, out);
      await out.written(await producer.sendMany(out.records()));
    },

    stage(key, value, out) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        // Refused here rather than written and then skipped by every later load.
        throw new KafkadogError(
          'INVALID_STATE',
          `state for ${key} does not match its schema: ${describeIssues(parsed.error.issues)}`,
        );
      }
      // In memory at once, for the next decision; where it is stored is known once written.
      const entry: Entry<T> = { value: parsed.data, partition: -1, offset: -1n, at: Date.now() };
      values.set(key, entry);
      deleted.delete(key);
      options.onChange?.(key, parsed.data);
      const record = { topic, key, value: Buffer.from(JSON.stringify(parsed.data)) };
      out.add(record, (stored) => written(key, entry, stored), `${topic}\u0000${key}`);
    },

    stageDelete(key, out) {
      if (!values.delete(key)) return;
      deleted.set(key, { partition: -1, offset: -1n });
      options.onChange?.(key, undefined);
      out.add(
        { topic, key, value: undefined },
        (stored) => {
          const offset = BigInt(stored.offset);
          const known = deleted.get(key);
          if (known && known.offset === -1n) {
            deleted.set(key, { partition: stored.partition, offset });
          }
          const partitionKey = `${topic}:${stored.partition}`;
          if (reader.position(partitionKey) === offset) reader.seek(partitionKey, offset + 1n);
        },
        `${topic}\u0000${key}`,
      );
    },

    async close() {
      abort.abort();
      await running;
      await reader.close();
    },
  };
}
