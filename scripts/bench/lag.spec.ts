import { describe, expect, it } from 'vitest';
import { lagDrainMs, peakLag, type LagSample } from './lag.js';

const sample = (at: number, total: number): LagSample => ({ at, total, byGroup: { g: total } });

describe('lag drain', () => {
  const samples = [
    sample(0, 5),
    sample(1000, 0),
    sample(2000, 40),
    sample(3000, 12),
    sample(4000, 0),
  ];

  it('is the time from the end of the load to the first sample with no lag after it', () => {
    expect(lagDrainMs(samples, 2000)).toBe(2000);
    expect(lagDrainMs(samples, 2500)).toBe(1500);
  });

  it('is 0 when the lag is already 0 at the end, and null when it never drains', () => {
    expect(lagDrainMs(samples, 1000)).toBe(0);
    expect(lagDrainMs(samples.slice(0, 4), 2000)).toBeNull();
  });

  it('finds the peak within a window', () => {
    expect(peakLag(samples, 0, 1000)).toBe(5);
    expect(peakLag(samples, 0, 5000)).toBe(40);
  });
});
