import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** Where a key's latest record is in its topic; partition -1 while its write is under way. */
export interface Version {
  readonly partition: number;
  readonly offset: bigint;
}

export interface Row<T> extends Version {
  readonly value: T;
  /** When the value was written (its record's timestamp, or when it was staged; epoch ms). */
  readonly at: number;
}

/** A row read while the whole topic is loaded into an empty table (`fill`); `json` undefined: deleted. */
export interface LoadedRow extends Version {
  readonly json: string | undefined;
  readonly at: number;
}

/**
 * Rows kept in the JS heap: the orders in flight, which every batch reads and writes again. A
 * row reaches SQLite when it leaves the cache, so an order decided three times in a second is
 * written to disk once.
 */
const CACHED_ROWS = 2_000;
/** SQLite's own page cache (KiB); the rest of the table stays on disk. */
const PAGE_CACHE_KIB = 2_048;
const PAGE_SIZE = 500;

/** A cached row: `value` undefined for a deleted key; `dirty` until it is in SQLite. */
interface Cached<T> extends Version {
  readonly value: T | undefined;
  readonly json: string | undefined;
  readonly at: number;
  readonly write: number;
  readonly dirty: boolean;
}

/**
 * The rows of a state store: key → value, its record's position and time. They live in a private
 * SQLite database on disk, not in the JS heap, so a service's memory does not grow with the
 * orders it has seen (Kafka Streams keeps its state stores in RocksDB for the same reason). The
 * topic stays the source of truth: the database is temporary (deleted when closed, and by the OS
 * if the process dies), and every start reads the topic again.
 *
 * A deleted key keeps a row without a value: its tombstone's position, so that an older write
 * acknowledged late does not bring the key back.
 */
export class StateTable<T> {
  readonly #db: DatabaseSync;
  /** Most recently used last, so the first key is the one to evict. */
  readonly #cache = new Map<string, Cached<T>>();
  readonly #select: StatementSync;
  readonly #version: StatementSync;
  readonly #put: StatementSync;
  readonly #remove: StatementSync;
  readonly #place: StatementSync;
  readonly #unchanged: StatementSync;
  readonly #page: StatementSync;
  readonly #count: StatementSync;
  /** Bumped at each write, so that a late acknowledgement updates only the write it is for. */
  #writes = 0;

  constructor() {
    // An empty name: a private temporary database, unlinked by SQLite as soon as it is open.
    this.#db = new DatabaseSync('');
    this.#db.exec(`
      PRAGMA journal_mode = OFF;
      PRAGMA synchronous = OFF;
      PRAGMA locking_mode = EXCLUSIVE;
      PRAGMA cache_size = -${PAGE_CACHE_KIB};
      CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT,
        partition INTEGER NOT NULL,
        offset INTEGER NOT NULL,
        at INTEGER NOT NULL,
        write INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
    this.#select = this.#db.prepare(
      'SELECT value, partition, offset, at FROM state WHERE key = ? AND value IS NOT NULL',
    );
    this.#select.setReadBigInts(true);
    this.#version = this.#db.prepare('SELECT partition, offset FROM state WHERE key = ?');
    this.#version.setReadBigInts(true);
    this.#put = this.#db.prepare(
      `INSERT INTO state (key, value, partition, offset, at, write) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, partition = excluded.partition,
         offset = excluded.offset, at = excluded.at, write = excluded.write`,
    );
    this.#remove = this.#db.prepare(
      `INSERT INTO state (key, value, partition, offset, at, write) VALUES (?, NULL, ?, ?, 0, ?)
       ON CONFLICT (key) DO UPDATE SET value = NULL, partition = excluded.partition,
         offset = excluded.offset, at = 0, write = excluded.write`,
    );
    this.#place = this.#db.prepare(
      'UPDATE state SET partition = ?, offset = ? WHERE key = ? AND write = ?',
    );
    this.#unchanged = this.#db.prepare(
      `SELECT key FROM state WHERE key > ? AND value IS NOT NULL AND at < ?
       ORDER BY key LIMIT ${PAGE_SIZE}`,
    );
    this.#page = this.#db.prepare(
      `SELECT key, value FROM state WHERE key > ? AND value IS NOT NULL
       ORDER BY key LIMIT ${PAGE_SIZE}`,
    );
    this.#count = this.#db.prepare('SELECT count(*) AS n FROM state WHERE value IS NOT NULL');
  }

  get(key: string): Row<T> | undefined {
    const cached = this.#cached(key);
    if (cached) return cached.value === undefined ? undefined : rowOf(cached);
    const found = this.#select.get(key) as
      { value: string; partition: bigint; offset: bigint; at: bigint } | undefined;
    if (!found) return undefined;
    const row = {
      value: JSON.parse(found.value) as T,
      json: found.value,
      partition: Number(found.partition),
      offset: found.offset,
      at: Number(found.at),
      write: 0,
      dirty: false,
    };
    this.#remember(key, row);
    return rowOf(row);
  }

  /** The position of the key's latest record, whether it holds a value or a tombstone. */
  version(key: string): Version | undefined {
    const cached = this.#cached(key);
    if (cached) return { partition: cached.partition, offset: cached.offset };
    const found = this.#version.get(key) as { partition: bigint; offset: bigint } | undefined;
    return found && { partition: Number(found.partition), offset: found.offset };
  }

  /**
   * Sets the key's value; `json` is the value as the topic holds it. Returns a token for
   * `placed`, which records where the write landed once it is acknowledged.
   */
  put(key: string, row: Row<T>, json: string): number {
    const write = ++this.#writes;
    this.#remember(key, { ...row, json, write, dirty: true });
    return write;
  }

  /** Deletes the key's value, keeping where its tombstone is. Returns a token for `placed`. */
  delete(key: string, version: Version): number {
    const write = ++this.#writes;
    this.#remember(key, {
      ...version,
      value: undefined,
      json: undefined,
      at: 0,
      write,
      dirty: true,
    });
    return write;
  }

  /** The write `write` of the key landed at this position (unless the key was written since). */
  placed(key: string, write: number, version: Version): void {
    const cached = this.#cache.get(key);
    if (cached) {
      if (cached.write === write) this.#cache.set(key, { ...cached, ...version, dirty: true });
      return;
    }
    this.#place.run(version.partition, version.offset, key, write);
  }

  /**
   * Fills the empty table with the rows of a read of the whole topic, in key order: SQLite fills
   * its B-tree in order at a fraction of the cost of one lookup and one insert per record.
   */
  fill(rows: ReadonlyMap<string, LoadedRow>): void {
    const keys = [...rows.keys()].sort();
    this.batch(() => {
      for (const key of keys) {
        const row = rows.get(key)!;
        this.#store(key, { ...row, value: undefined, write: 0, dirty: true });
      }
    });
  }

  /** Runs `work` in one SQLite transaction: many writes cost about one. */
  batch(work: () => void): void {
    this.#flush();
    this.#db.exec('BEGIN');
    try {
      work();
      this.#flush();
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      this.#cache.clear();
      throw error;
    }
  }

  *keysUnchangedSince(time: number): IterableIterator<string> {
    this.#flush();
    for (let after = ''; ;) {
      const keys = this.#unchanged.all(after, time) as { key: string }[];
      for (const { key } of keys) yield key;
      const last = keys.at(-1);
      if (!last || keys.length < PAGE_SIZE) return;
      after = last.key;
    }
  }

  *entries(): IterableIterator<[string, T]> {
    this.#flush();
    for (let after = ''; ;) {
      const rows = this.#page.all(after) as { key: string; value: string }[];
      for (const { key, value } of rows) {
        const cached = this.#cache.get(key);
        if (cached?.dirty && cached.value === undefined) continue; // deleted meanwhile
        yield [key, cached?.value ?? (JSON.parse(value) as T)];
      }
      const last = rows.at(-1);
      if (!last || rows.length < PAGE_SIZE) return;
      after = last.key;
    }
  }

  get size(): number {
    this.#flush();
    return Number((this.#count.get() as { n: number | bigint }).n);
  }

  clear(): void {
    this.#db.exec('DELETE FROM state');
    this.#cache.clear();
  }

  close(): void {
    this.#cache.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  #cached(key: string): Cached<T> | undefined {
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
    }
    return cached;
  }

  #remember(key: string, row: Cached<T>): void {
    this.#cache.delete(key);
    this.#cache.set(key, row);
    if (this.#cache.size <= CACHED_ROWS) return;
    const [oldest, evicted] = this.#cache.entries().next().value as [string, Cached<T>];
    this.#cache.delete(oldest);
    if (evicted.dirty) this.#store(oldest, evicted);
  }

  #store(key: string, row: Cached<T>): void {
    if (row.json === undefined) {
      this.#remove.run(key, row.partition, row.offset, row.write);
    } else {
      this.#put.run(key, row.json, row.partition, row.offset, row.at, row.write);
    }
  }

  /** Writes every cached row not in SQLite yet: before a query that reads the table. */
  #flush(): void {
    for (const [key, row] of this.#cache) {
      if (!row.dirty) continue;
      this.#store(key, row);
      this.#cache.set(key, { ...row, dirty: false });
    }
  }
}

function rowOf<T>(cached: Cached<T>): Row<T> {
  const { value, partition, offset, at } = cached;
  return { value: value as T, partition, offset, at };
}
