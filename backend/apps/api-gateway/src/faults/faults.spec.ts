import { describe, expect, it } from 'vitest';
import { parseInput } from '../http/validation.js';
import { applyUpdate, defaultFaults, FaultsUpdate } from './faults.js';

function issues(body: unknown): string[] {
  try {
    parseInput(FaultsUpdate, body);
  } catch (error) {
    return ((error as { body: { issues: { field: string }[] } }).body.issues ?? []).map(
      (issue) => issue.field,
    );
  }
  return [];
}

describe('fault switches', () => {
  it('given no setting yet, then the documented defaults apply', () => {
    expect(defaultFaults(0.1)).toEqual({
      inventoryFailureRate: 0.1,
      paymentLimitCents: 500_000,
      declinedCards: ['4000000000000002'],
    });
  });

  it('given a partial update, then only its fields change', () => {
    const update = parseInput(FaultsUpdate, { inventoryFailureRate: 1 });
    expect(applyUpdate(defaultFaults(0), update)).toEqual({
      inventoryFailureRate: 1,
      paymentLimitCents: 500_000,
      declinedCards: ['4000000000000002'],
    });
  });

  it('rejects out-of-range, mistyped and unknown fields, naming them', () => {
    expect(issues({ inventoryFailureRate: 1.5 })).toEqual(['inventoryFailureRate']);
    expect(issues({ inventoryFailureRate: -0.1, paymentLimitCents: 0 })).toEqual([
      'inventoryFailureRate',
      'paymentLimitCents',
    ]);
    expect(issues({ declinedCards: ['1234'] })).toEqual(['declinedCards.0']);
    expect(issues({ inventoryFailurRate: 0.5 })).toEqual(['inventoryFailurRate']);
  });

  it('rejects an update that changes nothing', () => {
    expect(issues({})).toEqual(['body']);
  });
});
