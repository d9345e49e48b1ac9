import { SCENARIOS, type Scenario } from './plan.js';

export type Outcome = 'completed' | 'payment' | 'inventory' | 'timeout' | 'pending';

export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  completed: 'completed',
  payment: 'cancelled: payment declined',
  inventory: 'cancelled: insufficient stock',
  timeout: 'cancelled: timeout',
  pending: 'no outcome yet (PENDING)',
};

/** What each scenario is meant to end in. */
export const EXPECTED: Readonly<Record<Scenario, Outcome>> = {
  success: 'completed',
  declined: 'payment',
  'over-limit': 'payment',
  'out-of-stock': 'inventory',
};

/** GET /orders/:id's answer, as far as the summary needs it. */
export interface OrderState {
  readonly status: 'PENDING' | 'COMPLETED' | 'CANCELLED';
  readonly reason?: string;
}

export function outcomeOf(order: OrderState | undefined): Outcome {
  if (!order || order.status === 'PENDING') return 'pending';
  if (order.status === 'COMPLETED') return 'completed';
  if (order.reason === 'payment' || order.reason === 'inventory') return order.reason;
  return 'timeout';
}

export interface SeedSummary {
  readonly placed: number;
  readonly byOutcome: Readonly<Record<Outcome, number>>;
  /** Per scenario: how many were placed, and how many ended as the scenario means. */
  readonly byScenario: Readonly<Record<Scenario, { placed: number; asExpected: number }>>;
  /** Orders that ended otherwise than their scenario means (not counting pending ones). */
  readonly unexpected: number;
}

export function summarize(
  results: readonly { scenario: Scenario; outcome: Outcome }[],
): SeedSummary {
  const byOutcome: Record<Outcome, number> = {
    completed: 0,
    payment: 0,
    inventory: 0,
    timeout: 0,
    pending: 0,
  };
  const byScenario = Object.fromEntries(
    SCENARIOS.map((scenario) => [scenario, { placed: 0, asExpected: 0 }]),
  ) as Record<Scenario, { placed: number; asExpected: number }>;
  let unexpected = 0;
  for (const { scenario, outcome } of results) {
    byOutcome[outcome]++;
    byScenario[scenario].placed++;
    if (outcome === EXPECTED[scenario]) byScenario[scenario].asExpected++;
    else if (outcome !== 'pending') unexpected++;
  }
  return { placed: results.length, byOutcome, byScenario, unexpected };
}

export function formatSummary(summary: SeedSummary): string {
  const lines = [`Outcomes of ${summary.placed} orders:`];
  for (const [outcome, label] of Object.entries(OUTCOME_LABELS) as [Outcome, string][]) {
    const count = summary.byOutcome[outcome];
    if (count > 0 || outcome !== 'pending') lines.push(`  ${String(count).padStart(5)}  ${label}`);
  }
  lines.push('By scenario (as meant / placed):');
  for (const scenario of SCENARIOS) {
    const { placed, asExpected } = summary.byScenario[scenario];
    if (placed === 0) continue;
    lines.push(
      `  ${scenario.padEnd(13)} ${String(asExpected).padStart(5)} / ${placed}  → ${OUTCOME_LABELS[EXPECTED[scenario]]}`,
    );
  }
  return lines.join('\n');
}
