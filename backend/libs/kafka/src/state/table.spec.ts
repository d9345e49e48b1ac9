import { afterEach, describe, expect, it } from 'vitest';
import { StateTable } from './table.js';

interface Counter {
  readonly count: number;
}

const at = (partition: number, offset: bigint, time = 0) => ({ partition, offset, at: time });

describe('the state table', () => {
  const tables: StateTable<Counter>[] = [];
  function table(): StateTable<Counter> {
    const created = new StateTable<Counter>();
    tables.push(created);
    return created;
  }
  afterEach(() => {
    for (const created of tables.splice(0)) created.close();
  });

  function put(into: StateTable<Counter>, key: string, count: number, where = at(-1, -1n)) {
    const value = { count };
    return into.put(key, { value, ...where }, JSON.stringify(value));
  }

  it('gives back every value written, far more than it caches, with its position', () => {
    const rows = table();
    rows.batch(() => {
      for (let i = 0; i < 5_000; i++) put(rows, `order-${i}`, i, at(i % 3, BigInt(i), 1_000 + i));
    });

    expect(rows.size).toBe(5_000);
    expect(rows.get('order-7')).toEqual({ value: { count: 7 }, ...at(1, 7n, 1_007) });
    expect(rows.get('order-4999')?.value).toEqual({ count: 4_999 });
    expect(rows.get('order-5000')).toBeUndefined();
    expect([...rows.entries()]).toHaveLength(5_000);
  });

  it('records where a write landed, unless the key was written again meanwhile', () => {
    const rows = table();
    const first = put(rows, 'a', 1);
    rows.placed('a', first, { partition: 2, offset: 10n });
    expect(rows.version('a')).toMatchObject({ partition: 2, offset: 10n });

    const second = put(rows, 'a', 2);
    const third = put(rows, 'a', 3);
    rows.placed('a', second, { partition: 2, offset: 11n }); // acknowledged late: not the newest
    expect(rows.version('a')).toMatchObject({ partition: -1, offset: -1n });
    rows.placed('a', third, { partition: 2, offset: 12n });
    expect(rows.get('a')).toMatchObject({ value: { count: 3 }, partition: 2, offset: 12n });
  });

  it('records where a write landed after its row left the cache for disk', () => {
    const rows = table();
    const write = put(rows, 'a', 1);
    for (let i = 0; i < 2_500; i++) put(rows, `other-${i}`, i);
    rows.placed('a', write, { partition: 1, offset: 42n });

    expect(rows.get('a')).toEqual({ value: { count: 1 }, partition: 1, offset: 42n, at: 0 });
  });

  it('keeps where a deleted key was, without its value', () => {
    const rows = table();
    put(rows, 'a', 1, at(0, 4n));
    rows.delete('a', { partition: 0, offset: 9n });

    expect(rows.get('a')).toBeUndefined();
    expect(rows.version('a')).toEqual({ partition: 0, offset: 9n });
    expect(rows.size).toBe(0);
    expect([...rows.entries()]).toEqual([]);
  });

  it('lists the keys unchanged since a time, page after page', () => {
    const rows = table();
    rows.batch(() => {
      for (let i = 0; i < 1_200; i++) put(rows, `k${String(i).padStart(4, '0')}`, i, at(0, 0n, i));
    });
    rows.delete('k0003', { partition: 0, offset: 1n });

    const old = [...rows.keysUnchangedSince(1_100)];
    expect(old).toHaveLength(1_099);
    expect(old).not.toContain('k0003');
    expect(old).not.toContain('k1100');
  });

  it('undoes every write of a batch that throws', () => {
    const rows = table();
    put(rows, 'a', 1);
    expect(() =>
      rows.batch(() => {
        put(rows, 'a', 2);
        put(rows, 'b', 1);
        throw new Error('bad record');
      }),
    ).toThrow('bad record');

    expect(rows.get('a')?.value).toEqual({ count: 1 });
    expect(rows.get('b')).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const rows = table();
    put(rows, 'a', 1);
    rows.clear();
    expect(rows.get('a')).toBeUndefined();
    expect(rows.version('a')).toBeUndefined();
  });
});
