import { percentile } from './stats.js';

/** The steps of an order's way, each answered by one service. */
export const STEPS = ['payment', 'inventory', 'saga'] as const;
export type Step = (typeof STEPS)[number];

/** A record a step wrote: its timestamp, and when the service took its cause (`handled-at`). */
interface StepRecord {
  readonly at: number;
  readonly handledAt: number | undefined;
}

interface Trace {
  placedAt?: number;
  steps: Partial<Record<Step, StepRecord>>;
}

/** p50 / p99 in ms; null without a sample. */
export interface Split {
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** Where an order's time goes at one step: waiting in the cause's topic, then being processed. */
export interface StepSplit {
  /** From the cause's record timestamp to the service taking it (its `handled-at`). */
  readonly waited: Split;
  /** From taking the cause to the answer's record timestamp (decide, write). */
  readonly processed: Split;
}

export type HopBreakdown = Record<Step, StepSplit>;

/**
 * The way of each order through the services, by record timestamps and `handled-at` headers:
 * payment and inventory answer OrderPlaced; the saga answers the later of their two replies.
 * Shows which wait or which service an order's end-to-end latency is made of.
 */
export class HopTracker {
  readonly #orders = new Map<string, Trace>();

  placed(orderId: string, at: number): void {
    this.#trace(orderId).placedAt ??= at;
  }

  /** The first record of the step for the order (a duplicate changes nothing). */
  step(orderId: string, step: Step, at: number, handledAt: number | undefined): void {
    const trace = this.#trace(orderId);
    trace.steps[step] ??= { at, handledAt };
  }

  breakdown(orderIds: Iterable<string>): HopBreakdown {
    const samples = Object.fromEntries(
      STEPS.map((step) => [step, { waited: [] as number[], processed: [] as number[] }]),
    ) as Record<Step, { waited: number[]; processed: number[] }>;
    for (const orderId of orderIds) {
      const trace = this.#orders.get(orderId);
      if (trace?.placedAt === undefined) continue;
      const { payment, inventory } = trace.steps;
      const causes: Record<Step, number | undefined> = {
        payment: trace.placedAt,
        inventory: trace.placedAt,
        saga: payment && inventory ? Math.max(payment.at, inventory.at) : undefined,
      };
      for (const step of STEPS) {
        const record = trace.steps[step];
        const cause = causes[step];
        if (!record || record.handledAt === undefined || cause === undefined) continue;
        samples[step].waited.push(Math.max(0, record.handledAt - cause));
        samples[step].processed.push(Math.max(0, record.at - record.handledAt));
      }
    }
    const split = (values: number[]): Split => {
      const sorted = [...values].sort((a, b) => a - b);
      return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
    };
    return Object.fromEntries(
      STEPS.map((step) => [
        step,
        { waited: split(samples[step].waited), processed: split(samples[step].processed) },
      ]),
    ) as HopBreakdown;
  }

  #trace(orderId: string): Trace {
    let trace = this.#orders.get(orderId);
    if (!trace) {
      trace = { steps: {} };
      this.#orders.set(orderId, trace);
    }
    return trace;
  }
}
