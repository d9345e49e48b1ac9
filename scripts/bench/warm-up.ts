/**
 * How long the bench warms up before it measures. A fresh broker JVM compiles its request path
 * for a minute or more: at 100 orders/s in exactly-once mode, its JIT compiler threads used about
 * half a CPU for the first 30 s and still a tenth of one 55 s in, on a 2-CPU machine where the
 * stack needs the rest. Measured earlier, the latency shows the JIT, not the stack. `--warm-up auto`
 * therefore runs the fixed rate until the compiler threads have gone quiet.
 */

/** `--warm-up auto`: at least this long, since V8 compiles the services too. */
export const AUTO_WARM_UP_MIN_MS = 20_000;
/** `--warm-up auto`: at most this long, settled or not. */
export const AUTO_WARM_UP_MAX_MS = 180_000;
/** `--warm-up auto` where a JVM's threads cannot be read (no /proc): a fixed warm-up. */
export const AUTO_WARM_UP_FALLBACK_MS = 20_000;
/** Settled: over the last 10 s, the JIT used at most 5 % of one CPU. */
export const JIT_WINDOW_MS = 10_000;
export const JIT_SETTLED_SHARE = 0.05;

/** CPU time the JIT compiler threads had used at a moment, as `readJitCpuMs` gives it. */
export interface JitSample {
  readonly at: number;
  readonly cpuMs: number;
}

/** The JIT's share of one CPU over the last `windowMs` of samples; undefined before that long. */
export function jitShare(
  samples: readonly JitSample[],
  windowMs = JIT_WINDOW_MS,
): number | undefined {
  const last = samples.at(-1);
  if (!last) return undefined;
  const start = samples.findLast((sample) => last.at - sample.at >= windowMs);
  if (!start) return undefined;
  return (last.cpuMs - start.cpuMs) / (last.at - start.at);
}

export function jitSettled(samples: readonly JitSample[], windowMs = JIT_WINDOW_MS): boolean {
  const share = jitShare(samples, windowMs);
  return share !== undefined && share <= JIT_SETTLED_SHARE;
}

/** What the JSON says about the warm-up. */
export interface WarmUpResult {
  readonly seconds: number;
  /**
   * `--warm-up auto`: whether the broker's JIT settled before the cap; null for a fixed
   * `--warm-up S`, or where the JIT could not be watched.
   */
  readonly jitSettled: boolean | null;
}
