import os from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { createAdmin, silentLogger } from '@kafkadog/kafka';
import { KAFKA_VERSION } from '../kafka/config.js';
import { formatDuration, type Logger } from '../lib/log.js';
import { SERVICE_NAMES } from '../lib/services.js';
import { startStack, type Stack } from '../lib/stack.js';
import type { BenchArgs, Load } from './args.js';
import { lagDrainMs, peakLag, startLagSampler } from './lag.js';
import { measureReplay } from './replay.js';
import { measureLimit } from './limit.js';
import { runFixedRate, runMaxThroughput, type LoadProgress, type LoadResult } from './load.js';
import { observeOrders } from './observe.js';
import { httpPlacer, kafkaPlacer, type Placer } from './orders.js';
import type { OutcomeTracker } from './outcomes.js';
import type { ProcessingMode } from './processing.js';
import { machineShare, readAll, readJitCpuMs, readMachineTicks } from './procstat.js';
import { ratiosOf } from './report.js';
import type { FixedRateResult, Machine, MaxThroughputResult, ModeResult } from './result.js';
import { summarize } from './stats.js';
import {
  AUTO_WARM_UP_FALLBACK_MS,
  AUTO_WARM_UP_MAX_MS,
  AUTO_WARM_UP_MIN_MS,
  jitSettled,
  jitShare,
  type JitSample,
  type WarmUpResult,
} from './warm-up.js';

/** The bench's own groups and clients; the lag it reports leaves them out. */
export const BENCH_PREFIX = 'kafkadog-bench';
/** Enough stock that no bench order is cancelled for want of it (the GPU: 3 × this). */
export const STOCK_SCALE = 100_000;
/** How long to wait after a load for outcomes (and zero lag) before calling an order lost. */
const DRAIN_WAIT_MS = 30_000;
const PROGRESS_EVERY_MS = 5_000;
/** V8's memory reducer gives freed heap back after about 8 s of little allocation. */
export const SETTLE_MS = 20_000;
const WARM_UP_ORDERS = 20;

export interface ModeRun {
  readonly result: ModeResult;
  /** Per order: seconds since the first load began, latency ms, load. For the chart. */
  readonly latencies: { t: number; ms: number; phase: string }[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    kafka: KAFKA_VERSION,
  };
}

/**
 * One processing mode: its own broker and services, the loads one after the other (each
 * drained before the next), then Kafka's tools on the same broker; everything stopped after.
 */
export async function runMode(
  args: BenchArgs,
  mode: ProcessingMode,
  log: Logger,
  onStack: (stack: Stack | undefined) => void,
  signal?: AbortSignal,
): Promise<ModeRun> {
  log.info(`Starting a broker of its own and the six services (KAFKADOG_PROCESSING=${mode})…`);
  const started = Date.now();
  const stack = await startStack({
    env: { KAFKADOG_PROCESSING: mode, INVENTORY_STOCK_SCALE: String(STOCK_SCALE) },
    healthTimeoutMs: 120_000,
    ...(signal ? { signal } : {}),
  });
  onStack(stack);
  const observer = await observeOrders(stack.brokers, `${BENCH_PREFIX}.observer`);
  const admin = createAdmin({
    brokers: stack.brokers,
    clientId: BENCH_PREFIX,
    logger: silentLogger,
  });
  const lag = startLagSampler(admin, BENCH_PREFIX, mode === 'exactly-once' ? 1 : 0);
  try {
    log.info(
      `  ready in ${formatDuration(Date.now() - started)}: Kafka ${KAFKA_VERSION} at ${stack.brokers.join(',')} (pid ${stack.brokerPid()}), services ${SERVICE_NAMES.map((n) => `${n} ${stack.pid(n)}`).join(', ')}`,
    );
    const pids = () => ({
      ...Object.fromEntries(SERVICE_NAMES.map((name) => [name, stack.pid(name)])),
      kafka: stack.brokerPid(),
    });
    await warmUp(stack, observer.tracker, log);
    const warmedUp =
      args.warmUp === 0 ? null : await warmUpAtRate(stack, args, observer.tracker, lag, log);
    const before = await readAll(pids());
    const firstLoadAt = Date.now();
    const latencies: ModeRun['latencies'] = [];
    let placedInAll = 0;
    let nextOrder = 0;
    let fixedRate: FixedRateResult | null = null;
    let maxThroughput: MaxThroughputResult | null = null;

    for (const load of args.loads) {
      const via = args.via[load];
      const placer: Placer =
        via === 'http' ? httpPlacer(stack.url('api-gateway')) : kafkaPlacer(stack.brokers);
      const progress: LoadProgress = { placed: 0, failed: 0, inFlight: 0 };
      const seconds = load === 'fixed' ? args.durationSec : args.maxDurationSec;
      log.info(
        load === 'fixed'
          ? `Fixed rate: ${args.ratePerSec} orders/s for ${seconds} s, via ${via}…`
          : `Maximum throughput: ${seconds} s, at most ${args.window} orders in flight, via ${via}…`,
      );
      const ticker = setInterval(() => {
        log.info(
          `  ${load}: ${progress.placed} placed, ${progress.inFlight} in flight, ${progress.failed} failed, lag ${lag.latest()?.total ?? '?'}`,
        );
      }, PROGRESS_EVERY_MS);
      let loaded: LoadResult;
      const ticksBefore = await readMachineTicks();
      try {
        loaded =
          load === 'fixed'
            ? await runFixedRate({
                placer,
                ratePerSec: args.ratePerSec,
                durationMs: seconds * 1000,
                progress,
              })
            : await runMaxThroughput({
                placer,
                tracker: observer.tracker,
                window: args.window,
                durationMs: seconds * 1000,
                progress,
                firstOrder: nextOrder,
              });
      } finally {
        clearInterval(ticker);
        await placer.close();
      }
      const machineCpu = machineShare(ticksBefore, await readMachineTicks());
      nextOrder += loaded.orderIds.length + loaded.failed;
      placedInAll += loaded.orderIds.length;
      if (loaded.firstError)
        log.warn(`  ${loaded.failed} placements failed, the first: ${loaded.firstError}`);
      const drainedAt = await drain(observer.tracker, loaded, lag, log);
      const summary = observer.tracker.summarize(loaded.orderIds);
      for (const [placedAt, ms] of summary.points) {
        latencies.push({ t: (placedAt - firstLoadAt) / 1000, ms, phase: phaseName(load) });
      }
      const common = {
        via,
        placed: summary.placed,
        failed: loaded.failed,
        completed: summary.completed,
        cancelled: summary.cancelled,
        lost: summary.lost,
        duplicates: summary.duplicates,
        ...latencyFields(summary.latency),
        machineCpu,
      };
      const loadSeconds = (loaded.endedAt - loaded.startedAt) / 1000;
      if (load === 'fixed') {
        const http = summarize(placer.httpMs);
        fixedRate = {
          ratePerSec: args.ratePerSec,
          durationSec: args.durationSec,
          ...common,
          completedPerSec: round(
            summary.completedBetween(loaded.startedAt, drainedAt) / loadSeconds,
          ),
          httpP50Ms: http.p50Ms === null ? null : round(http.p50Ms),
          httpP99Ms: http.p99Ms === null ? null : round(http.p99Ms),
          hops: observer.hops.breakdown(loaded.orderIds),
        };
      } else {
        maxThroughput = {
          // Completed while the load ran: the rate the stack sustains, not its drain.
          ordersPerSec: round(
            summary.completedBetween(loaded.startedAt, loaded.endedAt) / loadSeconds,
          ),
          durationSec: args.maxDurationSec,
          window: args.window,
          ...common,
          peakLag: peakLag(lag.samples, loaded.startedAt, drainedAt),
          lagDrainMs: lagDrainMs(lag.samples, loaded.endedAt),
        };
      }
    }
    const after = await readAll(pids());
    log.info(`Idle for ${SETTLE_MS / 1000} s, then the memory the orders left behind…`);
    await setTimeout(SETTLE_MS);
    const settled = await readAll(pids());
    await lag.stop();
    const replay = args.replay
      ? await measureReplay(stack, admin, log, mode === 'exactly-once' ? 1 : 0)
      : null;
    const limit = args.limit ? await measureLimit(stack.brokers, admin, log) : null;
    const result: ModeResult = {
      startedAt: new Date(firstLoadAt).toISOString(),
      machine: machine(),
      mode,
      warmUp: warmedUp,
      fixedRate,
      maxThroughput,
      limit,
      replay,
      ratios: ratiosOf({ fixedRate, maxThroughput }, limit),
      rssMb: Object.fromEntries(
        Object.entries(after).map(([name, usage]) => [name, round(usage.peakRssMb ?? 0)]),
      ),
      rssAfterMb: {
        placed: placedInAll,
        mb: Object.fromEntries(
          Object.entries(settled).map(([name, usage]) => [name, round(usage.rssMb ?? 0)]),
        ),
      },
      cpuMsPerOrder: Object.fromEntries(
        Object.entries(after).map(([name, usage]) => [
          name,
          // Hundredths: over 100,000 orders a service costs tenths of a millisecond each.
          Math.round(
            ((usage.cpuMs - (before[name]?.cpuMs ?? 0)) / Math.max(1, placedInAll)) * 100,
          ) / 100,
        ]),
      ),
      lag: lag.samples
        .filter((sample) => sample.at >= firstLoadAt)
        .map((sample) => ({ t: round((sample.at - firstLoadAt) / 1000), total: sample.total })),
    };
    return { result, latencies };
  } finally {
    await lag.stop();
    await observer.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
    log.info('Stopping the services and the broker…');
    await stack.stop();
    onStack(undefined);
  }
}

/**
 * A few orders through the whole saga before measuring: the first ones pay for connections,
 * metadata and the JIT, and would only show how cold the stack was.
 */
async function warmUp(stack: Stack, tracker: OutcomeTracker, log: Logger): Promise<void> {
  const started = Date.now();
  const placer = httpPlacer(stack.url('api-gateway'));
  const ids = await Promise.all(Array.from({ length: WARM_UP_ORDERS }, (_, n) => placer.place(n)));
  const deadline = Date.now() + 60_000;
  while (!ids.every((id) => tracker.hasOutcome(id))) {
    if (Date.now() > deadline) throw new Error('the warm-up orders got no outcome within 60 s');
    await setTimeout(100);
  }
  log.info(
    `  warm-up: ${WARM_UP_ORDERS} orders through the saga in ${formatDuration(Date.now() - started)}`,
  );
}

/**
 * The fixed rate before anything is measured, drained, and not counted: for `--warm-up` seconds,
 * or (`auto`) until the broker's JIT has settled (see warm-up.ts). Kafka's ProducerPerformance
 * has `--warmup-records` for the same reason.
 */
async function warmUpAtRate(
  stack: Stack,
  args: BenchArgs,
  tracker: OutcomeTracker,
  lag: ReturnType<typeof startLagSampler>,
  log: Logger,
): Promise<WarmUpResult> {
  const auto = args.warmUp === 'auto';
  log.info(
    auto
      ? `Warm-up: ${args.ratePerSec} orders/s until the broker's JIT settles (${AUTO_WARM_UP_MIN_MS / 1000}–${AUTO_WARM_UP_MAX_MS / 1000} s), not measured…`
      : `Warm-up: ${args.ratePerSec} orders/s for ${args.warmUp} s, not measured…`,
  );
  const placer =
    args.via.fixed === 'http' ? httpPlacer(stack.url('api-gateway')) : kafkaPlacer(stack.brokers);
  const progress: LoadProgress = { placed: 0, failed: 0, inFlight: 0 };
  const stop = new AbortController();
  const loading = runFixedRate({
    placer,
    ratePerSec: args.ratePerSec,
    durationMs: auto ? AUTO_WARM_UP_MAX_MS : args.warmUp * 1000,
    progress,
    signal: stop.signal,
  }).finally(() => placer.close());
  const settled = auto ? await watchJit(stack.brokerPid(), loading, stop, log) : null;
  const loaded = await loading;
  await drain(tracker, loaded, lag, log);
  const seconds = Math.round((loaded.endedAt - loaded.startedAt) / 1000);
  log.info(
    `  warm-up: ${seconds} s, ${loaded.orderIds.length} orders placed, ${loaded.failed} failed${settled === false ? "; the broker's JIT had not settled" : ''}`,
  );
  return { seconds, jitSettled: settled };
}

/**
 * Reads the broker's JIT time every second while the warm-up runs, and stops the warm-up once it
 * has settled (after the minimum). Null when it cannot be read: a fixed warm-up then.
 */
async function watchJit(
  pid: number | undefined,
  loading: Promise<LoadResult>,
  stop: AbortController,
  log: Logger,
): Promise<boolean | null> {
  let done = false;
  void loading.finally(() => (done = true)).catch(() => undefined);
  const started = Date.now();
  const samples: JitSample[] = [];
  let lastReport = started;
  while (!done) {
    const cpuMs = pid === undefined ? undefined : await readJitCpuMs(pid);
    const elapsed = Date.now() - started;
    if (cpuMs === undefined) {
      if (elapsed >= AUTO_WARM_UP_FALLBACK_MS) {
        log.info("  (the broker's JIT cannot be watched here: a fixed warm-up)");
        stop.abort();
        return null;
      }
    } else {
      samples.push({ at: Date.now(), cpuMs });
      if (elapsed >= AUTO_WARM_UP_MIN_MS && jitSettled(samples)) {
        stop.abort();
        return true;
      }
      const share = jitShare(samples);
      if (share !== undefined && Date.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = Date.now();
        log.info(
          `  warm-up: ${Math.round(elapsed / 1000)} s, the broker's JIT at ${Math.round(share * 100)} % of a CPU`,
        );
      }
    }
    await setTimeout(1000);
  }
  return false;
}

const phaseName = (load: Load) => (load === 'fixed' ? 'fixed rate' : 'max throughput');

/**
 * Waits until every order of the load has an outcome and every group's lag is 0, up to
 * DRAIN_WAIT_MS; returns when that was (or the deadline).
 */
async function drain(
  tracker: OutcomeTracker,
  loaded: LoadResult,
  lag: ReturnType<typeof startLagSampler>,
  log: Logger,
): Promise<number> {
  const deadline = Date.now() + DRAIN_WAIT_MS;
  let waiting = loaded.orderIds.filter((id) => !tracker.hasOutcome(id));
  let lastReport = Date.now();
  for (;;) {
    waiting = waiting.filter((id) => !tracker.hasOutcome(id));
    const latest = lag.latest();
    const lagDrained = latest !== undefined && latest.at >= loaded.endedAt && latest.total === 0;
    if ((waiting.length === 0 && lagDrained) || Date.now() >= deadline) break;
    if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
      log.info(
        `  draining: ${waiting.length} orders without an outcome, lag ${latest?.total ?? '?'}`,
      );
      lastReport = Date.now();
    }
    await setTimeout(100);
  }
  return Date.now();
}

function latencyFields(summary: ReturnType<typeof summarize>) {
  return {
    p50Ms: summary.p50Ms,
    p95Ms: summary.p95Ms,
    p99Ms: summary.p99Ms,
    maxMs: summary.maxMs,
  };
}

function round(value: number | null): number {
  return value === null ? 0 : Math.round(value * 10) / 10;
}
