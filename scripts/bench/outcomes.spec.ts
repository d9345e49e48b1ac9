import { describe, expect, it } from 'vitest';
import { OutcomeTracker } from './outcomes.js';

describe('the outcome tracker', () => {
  it('measures from OrderPlaced to the first outcome, and counts lost and duplicate outcomes', () => {
    const tracker = new OutcomeTracker();
    tracker.placed('a', 1_000);
    tracker.outcome('a', 'OrderCompleted', 1_040);
    tracker.placed('b', 1_010);
    tracker.outcome('b', 'OrderCancelled', 1_110);
    tracker.outcome('b', 'OrderCancelled', 1_500);
    tracker.placed('c', 1_020);

    const summary = tracker.summarize(['a', 'b', 'c']);

    expect(summary).toMatchObject({
      placed: 3,
      completed: 1,
      cancelled: 1,
      lost: 1,
      duplicates: 1,
    });
    expect(summary.latency).toEqual({ count: 2, p50Ms: 40, p95Ms: 100, p99Ms: 100, maxMs: 100 });
    expect(summary.points).toEqual([
      [1_000, 40],
      [1_010, 100],
    ]);
    expect(summary.completedBetween(1_000, 1_050)).toBe(1);
    expect(summary.completedBetween(1_041, 2_000)).toBe(0);
  });

  it('takes an outcome read before its OrderPlaced (two topics, two readers)', () => {
    const tracker = new OutcomeTracker();
    tracker.outcome('a', 'OrderCompleted', 1_030);
    tracker.placed('a', 1_000);
    expect(tracker.summarize(['a']).latency.p50Ms).toBe(30);
  });

  it('tells listeners of each first outcome only, and knows an id it never saw as lost', () => {
    const tracker = new OutcomeTracker();
    const seen: string[] = [];
    tracker.onFirstOutcome((id) => seen.push(id));
    tracker.outcome('a', 'OrderCompleted', 1);
    tracker.outcome('a', 'OrderCompleted', 2);
    expect(seen).toEqual(['a']);
    expect(tracker.hasOutcome('a')).toBe(true);
    expect(tracker.summarize(['z'])).toMatchObject({ placed: 1, lost: 1 });
  });

  it('lists the orders seen on orders.v1 that still wait for an outcome', () => {
    const tracker = new OutcomeTracker();
    tracker.placed('a', 1);
    tracker.placed('b', 2);
    tracker.outcome('b', 'OrderCompleted', 3);
    tracker.outcome('c', 'OrderCancelled', 4);
    expect(tracker.awaiting()).toEqual(['a']);
  });
});
