import { describe, expect, it } from 'vitest';
import { KafkadogError } from '../errors.js';
import { clampOffset, planReset, type PartitionWatermarks } from './reset-plan.js';

/** orders.v1[0] keeps offsets 10 to 49 (log end 50); the group is at 30. */
const p0: PartitionWatermarks = {
  topic: 'orders.v1',
  partition: 0,
  low: 10n,
  high: 50n,
  committed: 30n,
};
/** orders.v1[1] is empty and was never committed. */
const p1: PartitionWatermarks = {
  topic: 'orders.v1',
  partition: 1,
  low: 0n,
  high: 0n,
  committed: null,
};

describe('clampOffset', () => {
  it('keeps an offset inside the log and moves one outside to the nearest end', () => {
    expect(clampOffset(20n, 10n, 50n)).toBe(20n);
    expect(clampOffset(3n, 10n, 50n)).toBe(10n);
    expect(clampOffset(99n, 10n, 50n)).toBe(50n);
    expect(clampOffset(50n, 10n, 50n)).toBe(50n);
  });
});

describe('planReset', () => {
  it('given earliest or latest, moves to the log start or end, and says where the group was', () => {
    expect(planReset([p0, p1], 'earliest')).toEqual([
      { topic: 'orders.v1', partition: 0, before: 30n, after: 10n },
      { topic: 'orders.v1', partition: 1, before: null, after: 0n },
    ]);
    expect(planReset([p0], 'latest')).toEqual([
      { topic: 'orders.v1', partition: 0, before: 30n, after: 50n },
    ]);
  });

  it('given a timestamp, moves to the first record at or after it, or to the log end if none is', () => {
    const plan = planReset(
      [
        { ...p0, atTimestamp: 42n },
        { ...p1, atTimestamp: null },
      ],
      { timestamp: 1_700_000_000_000 },
    );
    expect(plan.map((row) => row.after)).toEqual([42n, 0n]);
  });

  it('given an offset, clamps it to each partition, as --to-offset does', () => {
    expect(planReset([p0, p1], { offset: 5n }).map((row) => row.after)).toEqual([10n, 0n]);
    expect(planReset([p0], { offset: 40n }).map((row) => row.after)).toEqual([40n]);
    expect(planReset([p0], { offset: 400n }).map((row) => row.after)).toEqual([50n]);
  });

  it('given a shift, moves from the committed offset and stays inside the log, as --shift-by does', () => {
    expect(planReset([p0], { shiftBy: -5n })[0]?.after).toBe(25n);
    expect(planReset([p0], { shiftBy: -100n })[0]?.after).toBe(10n);
    expect(planReset([p0], { shiftBy: 15n })[0]?.after).toBe(45n);
    expect(planReset([p0], { shiftBy: 100n })[0]?.after).toBe(50n);
  });

  it('refuses to shift a partition the group never committed, naming it', () => {
    expect(() => planReset([p0, p1], { shiftBy: 1n })).toThrow(KafkadogError);
    expect(() => planReset([p0, p1], { shiftBy: 1n })).toThrow(/orders\.v1\[1\]/);
  });
});
