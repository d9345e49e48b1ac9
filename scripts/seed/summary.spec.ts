import { describe, expect, it } from 'vitest';
import { formatSummary, outcomeOf, summarize } from './summary.js';

describe('outcomeOf', () => {
  it('reads GET /orders/:id: pending, completed, or cancelled with its reason', () => {
    expect(outcomeOf(undefined)).toBe('pending');
    expect(outcomeOf({ status: 'PENDING' })).toBe('pending');
    expect(outcomeOf({ status: 'COMPLETED' })).toBe('completed');
    expect(outcomeOf({ status: 'CANCELLED', reason: 'payment' })).toBe('payment');
    expect(outcomeOf({ status: 'CANCELLED', reason: 'inventory' })).toBe('inventory');
    expect(outcomeOf({ status: 'CANCELLED', reason: 'timeout' })).toBe('timeout');
  });
});

describe('summarize', () => {
  it('counts outcomes, and orders that ended otherwise than their scenario means', () => {
    const summary = summarize([
      { scenario: 'success', outcome: 'completed' },
      { scenario: 'success', outcome: 'inventory' },
      { scenario: 'declined', outcome: 'payment' },
      { scenario: 'over-limit', outcome: 'payment' },
      { scenario: 'out-of-stock', outcome: 'pending' },
    ]);
    expect(summary.byOutcome).toEqual({
      completed: 1,
      payment: 2,
      inventory: 1,
      timeout: 0,
      pending: 1,
    });
    expect(summary.byScenario.success).toEqual({ placed: 2, asExpected: 1 });
    expect(summary.unexpected).toBe(1);
    const text = formatSummary(summary);
    expect(text).toContain('Outcomes of 5 orders:');
    expect(text).toContain('      1  no outcome yet (PENDING)');
    expect(text).toMatch(/success +1 \/ 2 +→ completed/);
  });
});
