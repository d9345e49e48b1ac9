import { describe, expect, it } from 'vitest';
import { runFixedRate, runMaxThroughput } from './load.js';
import type { Placer } from './orders.js';
import { OutcomeTracker } from './outcomes.js';

function fakePlacer(onPlaced: (id: string) => void = () => undefined): Placer {
  return {
    httpMs: [],
    place: async (n) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const id = `order-${n}`;
      onPlaced(id);
      return id;
    },
    close: () => Promise.resolve(),
  };
}

describe('the loads', () => {
  it('a fixed rate places rate × duration orders on schedule', async () => {
    const progress = { placed: 0, failed: 0, inFlight: 0 };
    const result = await runFixedRate({
      placer: fakePlacer(),
      ratePerSec: 200,
      durationMs: 250,
      progress,
    });
    expect(result.orderIds).toHaveLength(50);
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(240);
    expect(progress.placed).toBe(50);
  });

  it('a fixed rate stops placing once its signal aborts, and waits for those placed', async () => {
    const progress = { placed: 0, failed: 0, inFlight: 0 };
    const stop = new AbortController();
    const placed: string[] = [];
    const loading = runFixedRate({
      placer: fakePlacer((id) => placed.push(id)),
      ratePerSec: 100,
      durationMs: 60_000,
      progress,
      signal: stop.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop.abort();
    const result = await loading;
    expect(result.endedAt - result.startedAt).toBeLessThan(1_000);
    expect(result.orderIds.length).toBeGreaterThan(10);
    expect(result.orderIds.length).toBeLessThan(40);
    expect(result.orderIds).toEqual(placed);
  });

  it('a fixed rate keeps at most maxInFlight placements open, and places them all', async () => {
    let open = 0;
    let peak = 0;
    const placer: Placer = {
      httpMs: [],
      place: async (n) => {
        peak = Math.max(peak, ++open);
        await new Promise((resolve) => setTimeout(resolve, 20));
        open--;
        return `order-${n}`;
      },
      close: () => Promise.resolve(),
    };
    const progress = { placed: 0, failed: 0, inFlight: 0 };
    const result = await runFixedRate({
      placer,
      ratePerSec: 1000,
      durationMs: 100,
      progress,
      maxInFlight: 5,
    });
    expect(peak).toBe(5);
    expect(result.orderIds).toHaveLength(100);
  });

  it('max throughput never has more than the window without an outcome', async () => {
    const tracker = new OutcomeTracker();
    let open = 0;
    let peak = 0;
    const placer = fakePlacer((id) => {
      open++;
      peak = Math.max(peak, open);
      setTimeout(() => {
        open--;
        tracker.outcome(id, 'OrderCompleted', Date.now());
      }, 5);
    });
    const progress = { placed: 0, failed: 0, inFlight: 0 };
    const result = await runMaxThroughput({
      placer,
      tracker,
      window: 10,
      durationMs: 200,
      progress,
    });
    expect(peak).toBeLessThanOrEqual(10);
    expect(result.orderIds.length).toBeGreaterThan(20);
  });

  it('max throughput stops placing when no outcome comes back', async () => {
    const tracker = new OutcomeTracker();
    const progress = { placed: 0, failed: 0, inFlight: 0 };
    const result = await runMaxThroughput({
      placer: fakePlacer(),
      tracker,
      window: 7,
      durationMs: 100,
      progress,
    });
    expect(result.orderIds).toHaveLength(7);
  });
});
