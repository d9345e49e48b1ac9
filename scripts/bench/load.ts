import type { OutcomeTracker } from './outcomes.js';
import type { Placer } from './orders.js';

export interface LoadResult {
  /** Ids of the orders that went in, in the order they were confirmed. */
  readonly orderIds: string[];
  /** Placements that failed (an HTTP error, a produce that gave up). */
  readonly failed: number;
  readonly firstError: string | undefined;
  readonly startedAt: number;
  /** When the last order was placed: the load stops here. */
  readonly endedAt: number;
}

/** Counters a progress line reads while the load runs. */
export interface LoadProgress {
  placed: number;
  failed: number;
  inFlight: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `ratePerSec` orders a second for `durationMs` (or until `signal` aborts), each on its own
 * schedule (not waiting for the previous one), so a slow answer does not slow the rate. At most
 * `maxInFlight` placements are open at once: beyond that the stack is not keeping up, and the
 * rate drops (visible as fewer placed than planned).
 */
export async function runFixedRate(options: {
  readonly placer: Placer;
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly progress: LoadProgress;
  readonly maxInFlight?: number;
  readonly signal?: AbortSignal;
}): Promise<LoadResult> {
  const { placer, ratePerSec, durationMs, progress, maxInFlight = 2_000, signal } = options;
  const total = Math.round((ratePerSec * durationMs) / 1000);
  const orderIds: string[] = [];
  const open = new Set<Promise<void>>();
  let failed = 0;
  let firstError: string | undefined;
  // The loop is the only one waiting for a free slot. (A Promise.race over the open placements
  // would add a callback to each of them per order: quadratic, and the load generator then
  // starves the stack of CPU just when it falls behind.)
  let slotFreed: (() => void) | undefined;
  const startedAt = Date.now();
  for (let n = 0; n < total; n++) {
    const due = startedAt + (n * 1000) / ratePerSec;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    if (signal?.aborted) break;
    while (open.size >= maxInFlight) {
      await new Promise<void>((resolve) => {
        slotFreed = resolve;
      });
    }
    const placement = placer.place(n).then(
      (orderId) => {
        orderIds.push(orderId);
        progress.placed++;
      },
      (error: unknown) => {
        failed++;
        progress.failed++;
        firstError ??= (error as Error).message;
      },
    );
    const tracked = placement.finally(() => {
      open.delete(tracked);
      progress.inFlight = open.size;
      slotFreed?.();
      slotFreed = undefined;
    });
    open.add(tracked);
    progress.inFlight = open.size;
  }
  await Promise.all(open);
  return { orderIds, failed, firstError, startedAt, endedAt: Date.now() };
}

/**
 * As many orders as the stack completes, for `durationMs`: a new order goes in whenever fewer
 * than `window` are placed and without an outcome, so the backlog stays bounded and the rate is
 * the stack's own.
 */
export async function runMaxThroughput(options: {
  readonly placer: Placer;
  readonly tracker: OutcomeTracker;
  readonly window: number;
  readonly durationMs: number;
  readonly progress: LoadProgress;
  readonly firstOrder?: number;
}): Promise<LoadResult> {
  const { placer, tracker, window, durationMs, progress } = options;
  const orderIds: string[] = [];
  /** Confirmed in orders.v1, no outcome yet. */
  const awaiting = new Set<string>();
  let placing = 0;
  let failed = 0;
  let firstError: string | undefined;
  let wake: () => void = () => undefined;
  const update = () => {
    progress.inFlight = placing + awaiting.size;
    wake();
  };
  const unsubscribe = tracker.onFirstOutcome((orderId) => {
    if (awaiting.delete(orderId)) update();
  });
  const startedAt = Date.now();
  const endAt = startedAt + durationMs;
  let n = options.firstOrder ?? 0;
  try {
    while (Date.now() < endAt) {
      while (placing + awaiting.size < window) {
        placing++;
        void placer.place(n++).then(
          (orderId) => {
            placing--;
            orderIds.push(orderId);
            progress.placed++;
            // Its outcome may have been read before the producer's acknowledgement.
            if (!tracker.hasOutcome(orderId)) awaiting.add(orderId);
            update();
          },
          (error: unknown) => {
            placing--;
            failed++;
            progress.failed++;
            firstError ??= (error as Error).message;
            update();
          },
        );
      }
      update();
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.max(0, Math.min(100, endAt - Date.now())));
      });
    }
    const endedAt = Date.now();
    while (placing > 0) await sleep(10);
    return { orderIds, failed, firstError, startedAt, endedAt };
  } finally {
    unsubscribe();
  }
}
