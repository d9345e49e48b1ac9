import { summarize, type LatencySummary } from './stats.js';

export type OutcomeType = 'OrderCompleted' | 'OrderCancelled';

interface OrderTrace {
  /** The OrderPlaced record's timestamp (epoch ms), once seen on orders.v1. */
  placedAt?: number;
  /** Every outcome record seen for the order, in arrival order. */
  readonly outcomes: { type: OutcomeType; at: number }[];
}

export interface PhaseSummary {
  readonly placed: number;
  readonly completed: number;
  readonly cancelled: number;
  /** Placed (as far as the bench knows), but no outcome record. */
  readonly lost: number;
  /** Orders with more than one outcome record. */
  readonly duplicates: number;
  /** From each OrderPlaced record to the order's first outcome record, by record timestamps. */
  readonly latency: LatencySummary;
  /** Completed orders whose outcome was written within [from, to]. */
  readonly completedBetween: (from: number, to: number) => number;
  /** [placed at, latency ms] per order that has both, for the chart. */
  readonly points: readonly (readonly [number, number])[];
}

/**
 * What the topics say about each order: its OrderPlaced timestamp and its outcome records. Fed
 * by observers of orders.v1 and orders.outcome.v1; asked about the orders of one phase.
 */
export class OutcomeTracker {
  readonly #orders = new Map<string, OrderTrace>();
  readonly #listeners = new Set<(orderId: string) => void>();

  placed(orderId: string, at: number): void {
    this.#trace(orderId).placedAt ??= at;
  }

  outcome(orderId: string, type: OutcomeType, at: number): void {
    const trace = this.#trace(orderId);
    trace.outcomes.push({ type, at });
    if (trace.outcomes.length === 1) for (const listener of this.#listeners) listener(orderId);
  }

  /** Orders seen on orders.v1 that have no outcome record yet. */
  awaiting(): string[] {
    const ids: string[] = [];
    for (const [orderId, trace] of this.#orders) {
      if (trace.placedAt !== undefined && trace.outcomes.length === 0) ids.push(orderId);
    }
    return ids;
  }

  hasOutcome(orderId: string): boolean {
    return (this.#orders.get(orderId)?.outcomes.length ?? 0) > 0;
  }

  /** Calls `listener` with each order's id when its first outcome arrives. */
  onFirstOutcome(listener: (orderId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  summarize(orderIds: Iterable<string>): PhaseSummary {
    let placed = 0;
    let completed = 0;
    let cancelled = 0;
    let lost = 0;
    let duplicates = 0;
    const latencies: number[] = [];
    const points: [number, number][] = [];
    const completions: number[] = [];
    for (const orderId of orderIds) {
      placed++;
      const trace = this.#orders.get(orderId);
      const first = trace?.outcomes[0];
      if (!trace || !first) {
        lost++;
        continue;
      }
      if (trace.outcomes.length > 1) duplicates++;
      if (first.type === 'OrderCompleted') {
        completed++;
        completions.push(first.at);
      } else cancelled++;
      if (trace.placedAt !== undefined) {
        const latency = first.at - trace.placedAt;
        latencies.push(latency);
        points.push([trace.placedAt, latency]);
      }
    }
    return {
      placed,
      completed,
      cancelled,
      lost,
      duplicates,
      latency: summarize(latencies),
      completedBetween: (from, to) => completions.filter((at) => at >= from && at <= to).length,
      points,
    };
  }

  #trace(orderId: string): OrderTrace {
    let trace = this.#orders.get(orderId);
    if (!trace) {
      trace = { outcomes: [] };
      this.#orders.set(orderId, trace);
    }
    return trace;
  }
}
