import type { Via } from './args.js';
import type { Limit } from './limit.js';
import type { ProcessingMode } from './processing.js';
import type { ReplayResult } from './replay.js';
import type { HopBreakdown } from './hops.js';
import type { WarmUpResult } from './warm-up.js';

/** The shape of bench/results/latest.json (DESIGN.md, "Benchmark result"). */
export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly kafka: string;
}

interface Outcomes {
  readonly via: Via;
  readonly placed: number;
  /** Placements refused (HTTP error, produce failure): not in orders.v1, so not lost. */
  readonly failed: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /**
   * How busy the whole machine was while the load ran (every process, the bench's own too), and
   * how much CPU time the hypervisor gave to others, in % of all CPUs: what to read run-to-run
   * differences against. Null without /proc/stat.
   */
  readonly machineCpu?: { readonly busyPercent: number; readonly stealPercent: number } | null;
}

export interface FixedRateResult extends Outcomes {
  readonly ratePerSec: number;
  readonly durationSec: number;
  readonly completedPerSec: number;
  readonly httpP50Ms: number | null;
  readonly httpP99Ms: number | null;
  /** Where the orders' time went, step by step (see HopTracker). */
  readonly hops: HopBreakdown;
}

export interface MaxThroughputResult extends Outcomes {
  readonly ordersPerSec: number;
  readonly durationSec: number;
  readonly window: number;
  readonly peakLag: number;
  readonly lagDrainMs: number | null;
}

export interface Ratios {
  /** Our end-to-end p50 (fixed rate) over one hop's p50: how many hops an order costs. */
  readonly e2eP50OverHopP50: number | null;
  readonly e2eP99OverHopP99: number | null;
  /** Our completed orders/s (max) over the producer's records/s. */
  readonly ordersOverProducerRecords: number | null;
  readonly ordersOverConsumerRecords: number | null;
}

export interface ModeResult {
  readonly startedAt: string;
  readonly machine: Machine;
  readonly mode: ProcessingMode;
  /** The fixed rate before the loads, not measured; null with `--warm-up 0`. */
  readonly warmUp?: WarmUpResult | null;
  readonly fixedRate: FixedRateResult | null;
  readonly maxThroughput: MaxThroughputResult | null;
  readonly limit: Limit | null;
  /** One service reading its input again from the earliest offsets (`--no-replay` skips it). */
  readonly replay: ReplayResult | null;
  readonly ratios: Ratios;
  /** Peak RSS (VmHWM) per process, MB. */
  readonly rssMb: Record<string, number>;
  /**
   * RSS per process once the loads are over and the services idle for `SETTLE_MS` (V8 gives
   * back what it no longer uses only when allocation slows down), MB: what the orders placed so
   * far (`placed`) left behind.
   */
  readonly rssAfterMb?: { readonly placed: number; readonly mb: Record<string, number> };
  /** CPU time per order placed, per process, ms. */
  readonly cpuMsPerOrder: Record<string, number>;
  /** Every service group's total lag, once a second, from the first load to the last drain. */
  readonly lag: { readonly t: number; readonly total: number }[];
}

/** One mode at the top; with several modes, every one under `modes` too. */
export type BenchResult = ModeResult & {
  readonly modes?: Partial<Record<ProcessingMode, ModeResult>>;
};

export function benchResult(results: readonly ModeResult[]): BenchResult {
  const top = results.find((r) => r.mode === 'at-least-once') ?? results[0];
  if (!top) throw new Error('no result to write');
  if (results.length === 1) return top;
  return { ...top, modes: Object.fromEntries(results.map((r) => [r.mode, r])) };
}
