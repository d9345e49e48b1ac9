import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from './idempotency.js';

describe('IdempotencyKeys', () => {
  it('given a new key, when an order is placed, then later requests get the same order', async () => {
    const keys = new IdempotencyKeys();
    let placed = 0;
    const place = () => Promise.resolve(`order-${++placed}`);
    expect(await keys.placeOnce('k', 'f', place)).toEqual({ orderId: 'order-1', replayed: false });
    expect(await keys.placeOnce('k', 'f', place)).toEqual({ orderId: 'order-1', replayed: true });
    expect(placed).toBe(1);
  });

  it('given concurrent requests with one key, then one order is placed and all get it', async () => {
    const keys = new IdempotencyKeys();
    let placed = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const place = async () => {
      placed++;
      await gate;
      return 'order-1';
    };
    const results = Promise.all([1, 2, 3].map(() => keys.placeOnce('k', 'f', place)));
    release();
    expect((await results).map((result) => result.orderId)).toEqual([
      'order-1',
      'order-1',
      'order-1',
    ]);
    expect(placed).toBe(1);
  });

  it('given a key remembered from the log, then no order is placed', async () => {
    const keys = new IdempotencyKeys();
    keys.remember('k', { orderId: 'from-log', fingerprint: 'f' });
    const result = await keys.placeOnce('k', 'f', () => Promise.reject(new Error('placed')));
    expect(result).toEqual({ orderId: 'from-log', replayed: true });
  });

  it('given the log holds two orders of a key, then the first one wins', () => {
    const keys = new IdempotencyKeys();
    keys.remember('k', { orderId: 'first', fingerprint: 'f' });
    keys.remember('k', { orderId: 'second', fingerprint: 'f' });
    expect(keys.lookup('k')?.orderId).toBe('first');
  });

  it('given a known key with a different request, then 422 idempotency_key_reused', async () => {
    const keys = new IdempotencyKeys();
    keys.remember('k', { orderId: 'o', fingerprint: 'f' });
    await expect(keys.placeOnce('k', 'other', () => Promise.resolve('x'))).rejects.toMatchObject({
      body: { error: 'idempotency_key_reused', orderId: 'o' },
    });
  });

  it('given a failed placement, then the key stays free for a retry', async () => {
    const keys = new IdempotencyKeys();
    await expect(keys.placeOnce('k', 'f', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    expect(await keys.placeOnce('k', 'f', () => Promise.resolve('o'))).toEqual({
      orderId: 'o',
      replayed: false,
    });
  });

  it('given more keys than its capacity, then the oldest is forgotten and places a new order', async () => {
    const keys = new IdempotencyKeys(2);
    keys.remember('a', { orderId: 'order-a', fingerprint: 'f' });
    keys.remember('b', { orderId: 'order-b', fingerprint: 'f' });
    keys.remember('c', { orderId: 'order-c', fingerprint: 'f' });

    expect(keys.size).toBe(2);
    expect(keys.lookup('a')).toBeUndefined();
    expect(await keys.placeOnce('a', 'f', () => Promise.resolve('order-a2'))).toEqual({
      orderId: 'order-a2',
      replayed: false,
    });
    expect(keys.lookup('b')).toBeUndefined();
  });
});
