import { FaultsConfigured, type DataOf } from '@kafkadog/contracts';
import type { z } from 'zod';

export type Faults = DataOf<'FaultsConfigured'>;

/** What payment and inventory apply before any FaultsConfigured was published. */
export function defaultFaults(inventoryFailureRate: number): Faults {
  return {
    inventoryFailureRate,
    paymentLimitCents: 500_000,
    declinedCards: ['4000000000000002'],
  };
}

/**
 * The body of PUT /faults: any of the switches, each with the contract's rules (a rate from 0 to
 * 1, a positive limit, card numbers of 12 to 19 digits). An unknown field is an error, so that a
 * typo does not silently change nothing.
 */
export const FaultsUpdate = FaultsConfigured.shape.data
  .partial()
  .strict()
  .refine((update) => Object.keys(update).length > 0, {
    message: 'name at least one of inventoryFailureRate, paymentLimitCents, declinedCards',
    // Not on top of an unknown field: that one is the problem to report.
    when: (payload) => payload.issues.length === 0,
  });
export type FaultsUpdate = z.infer<typeof FaultsUpdate>;

/** The full setting after a partial update: published whole, so the latest record is enough. */
export function applyUpdate(current: Faults, update: FaultsUpdate): Faults {
  return {
    inventoryFailureRate: update.inventoryFailureRate ?? current.inventoryFailureRate,
    paymentLimitCents: update.paymentLimitCents ?? current.paymentLimitCents,
    declinedCards: update.declinedCards ?? current.declinedCards,
  };
}
