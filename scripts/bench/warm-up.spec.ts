import { describe, expect, it } from 'vitest';
import { JIT_SETTLED_SHARE, JIT_WINDOW_MS, jitSettled, jitShare } from './warm-up.js';

/** A sample a second, the JIT using `msPerSec` of CPU in each second after the first. */
const samples = (...msPerSec: number[]) =>
  msPerSec.reduce<{ at: number; cpuMs: number }[]>(
    (all, ms, i) => [...all, { at: i * 1000, cpuMs: (all.at(-1)?.cpuMs ?? 0) + ms }],
    [],
  );

describe("the warm-up's JIT rule", () => {
  it("takes the JIT's share of one CPU over the last window, and nothing before a whole window", () => {
    const seconds = JIT_WINDOW_MS / 1000;
    expect(jitShare(samples(...Array<number>(seconds).fill(100)))).toBeUndefined();
    // The first sample only marks the start: its own value does not count.
    expect(jitShare(samples(900, ...Array<number>(seconds).fill(100)))).toBeCloseTo(0.1);
    // Only the last window counts: a busy start is forgotten.
    expect(
      jitShare(samples(...Array<number>(30).fill(500), ...Array<number>(seconds).fill(20))),
    ).toBeCloseTo(0.02);
  });

  it(`is settled at ${JIT_SETTLED_SHARE * 100} % of a CPU or less, not above, and not before a whole window`, () => {
    const seconds = JIT_WINDOW_MS / 1000;
    const atShare = (ms: number) => samples(0, ...Array<number>(seconds).fill(ms));
    expect(jitSettled(atShare(JIT_SETTLED_SHARE * 1000))).toBe(true);
    expect(jitSettled(atShare(0))).toBe(true);
    expect(jitSettled(atShare(JIT_SETTLED_SHARE * 1000 + 10))).toBe(false);
    // One burst of compiling inside the window is enough to wait longer.
    expect(jitSettled(samples(0, ...Array<number>(seconds - 1).fill(0), 600))).toBe(false);
    expect(jitSettled(samples(0, 0, 0))).toBe(false);
    expect(jitSettled([])).toBe(false);
  });
});
