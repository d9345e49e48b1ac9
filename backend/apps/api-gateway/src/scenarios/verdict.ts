import { topics } from '@kafkadog/contracts';
import { position, recordsOf, type Fact, type RecordFact } from './facts.js';

export interface Check {
  readonly name: string;
  /** null: not decided yet (a run still going). */
  readonly passed: boolean | null;
  readonly detail: string;
}

export interface Verdict {
  readonly passed: boolean | null;
  readonly summary: string;
  readonly checks: readonly Check[];
}

/** What a scenario's verdict function returns: every check decided from the facts so far. */
export interface Judgement {
  readonly passed: boolean;
  readonly summary: string;
  readonly checks: readonly (Check & { passed: boolean })[];
}

export const check = (name: string, passed: boolean, detail: string) => ({ name, passed, detail });

export function judgement(
  summary: string,
  checks: readonly (Check & { passed: boolean })[],
): Judgement {
  return { passed: checks.length > 0 && checks.every((c) => c.passed), summary, checks };
}

/**
 * The verdict as a run shows it: while the run goes on, a check that does not hold yet may still
 * come to hold, so it is pending (null), not failed.
 */
export function liveVerdict(judged: Judgement, running: boolean): Verdict {
  if (!running) return judged;
  return {
    passed: judged.passed ? true : null,
    summary: judged.summary,
    checks: judged.checks.map((c) => (c.passed ? c : { ...c, passed: null })),
  };
}

/** `1.0 s` */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `OrderPlaced at orders.v1[0]@12` */
export function described(record: RecordFact): string {
  return `${record.type ?? 'record'} at ${position(record)}`;
}

/** The first event of `type` about the order on `topic`, if any. */
export function eventOf(
  facts: readonly Fact[],
  topic: string,
  orderId: string,
  type: string,
): RecordFact | undefined {
  return recordsOf(facts, topic, orderId).find((r) => r.type === type);
}

/** A check that the order's event of `type` is on `topic`. */
export function onTopic(
  facts: readonly Fact[],
  topic: string,
  orderId: string,
  type: string,
): Check & { passed: boolean } {
  const record = eventOf(facts, topic, orderId, type);
  return check(
    `${type} on ${topic}`,
    record !== undefined,
    record ? described(record) : `no ${type} for order ${orderId} on ${topic}`,
  );
}

/** The order's outcomes on orders.outcome.v1: a saga writes exactly one. */
export function outcomesOf(facts: readonly Fact[], orderId: string): RecordFact[] {
  return recordsOf(facts, topics.outcomes.name, orderId);
}

/** A check that the order has exactly one outcome, of `type` (and with `reason` if given). */
export function singleOutcome(
  facts: readonly Fact[],
  orderId: string,
  type: 'OrderCompleted' | 'OrderCancelled',
  reason?: string,
): Check & { passed: boolean } {
  const outcomes = outcomesOf(facts, orderId);
  const [only] = outcomes;
  const name = `exactly one ${type}${reason ? ` (reason ${reason})` : ''} on ${topics.outcomes.name}`;
  if (outcomes.length === 0) return check(name, false, `no outcome yet for order ${orderId}`);
  if (outcomes.length > 1) {
    return check(name, false, `${outcomes.length} outcomes: ${outcomes.map(described).join(', ')}`);
  }
  const reasons = only?.data.reasons ?? [];
  const ok = only?.type === type && (reason === undefined || reasons.includes(reason));
  const why = reasons.length > 0 ? ` (reasons ${reasons.join(', ')})` : '';
  return check(name, ok, only ? `${described(only)}${why}` : '');
}
