import { describe, expect, it } from 'vitest';
import { KafkadogError } from '../src/errors.js';
import {
  backoffBounds,
  backoffDelay,
  defaultBackoff,
  retry,
  sleep,
  sleepUntil,
  type RetryInfo,
} from '../src/retry/backoff.js';

const policy = { baseMs: 100, factor: 2, maxMs: 1_000, jitter: 0.5 };

describe('backoffDelay', () => {
  it('grows exponentially from baseMs and never goes below base * factor^(attempt-1)', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('adds up to `jitter` times the exponential delay on top', () => {
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      150, 300, 600,
    ]);
  });

  it('caps the exponential part at maxMs', () => {
    expect(backoffDelay(10, policy, () => 0)).toBe(1_000);
    expect(backoffDelay(10, policy, () => 1)).toBe(1_500);
  });

  it('stays within its bounds and spreads across them with a real random source', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const { min, max } = backoffBounds(attempt, policy);
      const delays = Array.from({ length: 500 }, () => backoffDelay(attempt, policy));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(min);
      expect(Math.max(...delays)).toBeLessThanOrEqual(max);
      expect(new Set(delays).size).toBeGreaterThan(10);
    }
  });

  it('without jitter is exact', () => {
    expect(backoffDelay(3, { ...policy, jitter: 0 })).toBe(400);
  });

  it('rejects attempts below 1', () => {
    expect(() => backoffDelay(0, defaultBackoff)).toThrow(KafkadogError);
    expect(() => backoffDelay(1.5, defaultBackoff)).toThrow(/integer/);
  });
});

describe('retry', () => {
  const fast = { baseMs: 1, factor: 2, maxMs: 4, jitter: 0 };

  it('calls again until the function succeeds, reporting each retry', async () => {
    const retries: RetryInfo[] = [];
    let calls = 0;
    const result = await retry(
      (attempt) => {
        calls++;
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return 'ok';
      },
      { shouldRetry: () => true, backoff: fast, onRetry: (info) => retries.push(info) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(retries.map(({ attempt, delayMs }) => [attempt, delayMs])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('rethrows the error when shouldRetry says no', async () => {
    const error = new KafkadogError('BAD_INPUT', 'no');
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          throw error;
        },
        { shouldRetry: (e) => (e as KafkadogError).retriable, backoff: fast },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('gives up after `attempts` calls with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { shouldRetry: () => true, attempts: 4, backoff: fast },
      ),
    ).rejects.toThrow('fail 4');
    expect(calls).toBe(4);
  });

  it('stops waiting as soon as its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = retry(
      () => {
        throw new Error('down');
      },
      { shouldRetry: () => true, backoff: { baseMs: 60_000 }, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('sleepUntil', () => {
  it('never returns before the due time', async () => {
    for (let i = 0; i < 20; i++) {
      const due = Date.now() + 5 + (i % 7);
      await sleepUntil(due);
      expect(Date.now()).toBeGreaterThanOrEqual(due);
    }
  });

  it('rejects with ABORTED when aborted', async () => {
    await expect(sleep(10, AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(sleepUntil(Date.now() + 60_000, AbortSignal.timeout(10))).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});
