import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('KeyedLock', () => {
  it('runs the tasks of one key one after the other, in the order they asked', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const gate = deferred();
    const first = lock.run('order-1', async () => {
      log.push('first starts');
      await gate.promise;
      log.push('first ends');
    });
    const second = lock.run('order-1', () => {
      log.push('second runs');
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(log).toEqual(['first starts']);

    gate.resolve();
    await Promise.all([first, second]);

    expect(log).toEqual(['first starts', 'first ends', 'second runs']);
    expect(lock.size).toBe(0);
  });

  it('runs different keys at the same time, and a failed task releases its key', async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    const blocked = lock.run('order-1', () => gate.promise);
    let other = false;
    await lock.run('order-2', () => {
      other = true;
      return Promise.resolve();
    });
    expect(other).toBe(true);

    const failing = lock.run('order-3', () => Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    await expect(lock.run('order-3', () => Promise.resolve('after'))).resolves.toBe('after');
    gate.resolve();
    await blocked;
  });
});
