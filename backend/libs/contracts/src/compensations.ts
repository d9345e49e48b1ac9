import type { EventType } from './events/index.js';

/**
 * Which step each compensation undoes: the saga emits the cancellation, and each service then
 * undoes its own step (payment-service voids its authorization, inventory-service releases its
 * reservation). Declines and rejections changed nothing, so they need no compensation. The order
 * timeline links each compensation to the step it undoes from this map.
 */
export const compensations = {
  PaymentAuthorized: 'PaymentVoided',
  InventoryReserved: 'InventoryReleased',
} as const satisfies Partial<Record<EventType, EventType>>;

export type CompensatedStep = keyof typeof compensations;
export type Compensation = (typeof compensations)[CompensatedStep];

/** The step a compensation undoes, e.g. InventoryReserved for InventoryReleased. */
export function undoneBy(type: string): CompensatedStep | undefined {
  const pair = Object.entries(compensations).find(([, compensation]) => compensation === type);
  return pair?.[0] as CompensatedStep | undefined;
}
