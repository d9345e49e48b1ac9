import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarize } from './stats.js';

describe('percentiles', () => {
  it('takes the nearest rank: p50 of 1..100 is 50, p99 is 99, p100 is the max', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('summarizes unsorted values in order p50 ≤ p95 ≤ p99 ≤ max', () => {
    const summary = summarize([30, 10, 20, 1000, 40]);
    expect(summary).toEqual({ count: 5, p50Ms: 30, p95Ms: 1000, p99Ms: 1000, maxMs: 1000 });
  });

  it('gives null for no values, not zero', () => {
    expect(summarize([])).toEqual({ count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null });
  });

  it('keeps 3 significant digits of a ratio, small ones too, and has none without a denominator', () => {
    expect(ratio(10, 3)).toBe(3.33);
    expect(ratio(3.9, 42_481)).toBe(0.0000918);
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
  });
});
