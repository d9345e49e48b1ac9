import { describeIssues } from '@kafkadog/contracts';
import { describeError, KafkadogError } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { BatchOutput } from '../consumer/batch.js';
import type { RecordPosition } from '../producer/index.js';
import { TopicReader } from './reader.js';
import { StateTable, type LoadedRow, type Row } from './table.js';
import type { ReadRecord, StateStore, StateStoreOptions } from './types.js';

/**
 * A key → value map whose source of truth is a compacted topic. `set` writes the value (JSON,
 * keyed by the map key) and resolves after acks=all; `load` reads what the topic holds, so a new
 * process, or one that lost its memory to a crash, gets every acknowledged value back. A record
 * with a null value (a tombstone) deletes its key; a value that fails the schema is logged and
 * skipped, never loaded. The map itself is on disk (`StateTable`), with the keys in use cached.
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
  const table = new StateTable<T>();
  const abort = new AbortController();
  let positioned = false;
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  /**
   * While the whole topic is read into the empty table (the first load, a reload): the rows read,
   * written to the table in key order at the end (`StateTable.fill`), several times faster than
   * record by record.
   */
  let loading: Map<string, LoadedRow> | undefined;

  /** Whether a record at this position is newer than what the map holds for the key. */
  function isNewer(key: string, partition: number, offset: bigint): boolean {
    const known = loading ? loading.get(key) : table.version(key);
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
    if (loading && record.value === undefined) {
      loading.set(record.key, { json: undefined, partition: record.partition, offset, at: 0 });
      return;
    }
    if (record.value === undefined) {
      const previous = options.onChange && table.get(record.key)?.value;
      table.delete(record.key, { partition: record.partition, offset });
      options.onChange?.(record.key, undefined, previous);
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
    const stored = JSON.stringify(parsed.data);
    if (loading) {
      loading.set(record.key, {
        json: stored,
        partition: record.partition,
        offset,
        at: record.timestamp,
      });
      return;
    }
    const previous = options.onChange && table.get(record.key)?.value;
    const row = { value: parsed.data, partition: record.partition, offset, at: record.timestamp };
    table.put(record.key, row, stored);
    options.onChange?.(record.key, parsed.data, previous);
  }

  function written(key: string, write: number, stored: RecordPosition): void {
    const offset = BigInt(stored.offset);
    table.placed(key, write, { partition: stored.partition, offset });
    // The reader need not fetch our own write back when it is the next record it would read.
    const partitionKey = `${topic}:${stored.partition}`;
    if (reader.position(partitionKey) === offset) reader.seek(partitionKey, offset + 1n);
  }

  /** The rows of a whole read into the table, each key's value announced once. */
  function fillTable(rows: Map<string, LoadedRow>): void {
    table.fill(rows);
    if (!options.onChange) return;
    for (const [key, row] of rows) {
      if (row.json !== undefined) options.onChange(key, JSON.parse(row.json) as T, undefined);
    }
  }

  async function catchUp(): Promise<void> {
    try {
      if (!positioned) {
        for (const [key, offset] of await reader.offsets('earliest')) reader.seek(key, offset);
        positioned = true;
        loading = new Map();
      }
      const end = await reader.offsets('latest');
      await reader.readUntil(
        end,
        (records) => {
          if (loading) for (const record of records) apply(record);
          else table.batch(() => records.forEach(apply));
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
    } finally {
      // Even after a failure: a retried load reads on from where this one stopped.
      if (loading) {
        const rows = loading;
        loading = undefined;
        fillTable(rows);
      }
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
        if (options.onChange) {
          for (const [key, value] of table.entries()) options.onChange(key, undefined, value);
        }
        table.clear();
        positioned = false;
        return catchUp();
      });
      running = next.catch(() => {});
      return next;
    },

    get(key) {
      return table.get(key)?.value;
    },

    entries() {
      return table.entries();
    },

    get size() {
      return table.size;
    },

    unchangedSince(time: number) {
      return table.keysUnchangedSince(time);
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
      const json = JSON.stringify(parsed.data);
      const previous = options.onChange && table.get(key)?.value;
      const row: Row<T> = { value: parsed.data, partition: -1, offset: -1n, at: Date.now() };
      const write = table.put(key, row, json);
      options.onChange?.(key, parsed.data, previous);
      const record = { topic, key, value: Buffer.from(json) };
      out.add(record, (stored) => written(key, write, stored), `${topic}\u0000${key}`);
    },

    stageDelete(key, out) {
      const previous = table.get(key)?.value;
      if (previous === undefined) return;
      const write = table.delete(key, { partition: -1, offset: -1n });
      options.onChange?.(key, undefined, previous);
      out.add(
        { topic, key, value: undefined },
        (stored) => {
          const offset = BigInt(stored.offset);
          table.placed(key, write, { partition: stored.partition, offset });
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
      table.close();
    },
  };
}
