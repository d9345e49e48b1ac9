import { z } from 'zod';
import { OrderCancelled, OrderCompleted, OrderPlaced } from './orders.js';
import { PaymentAuthorized, PaymentDeclined, PaymentVoided } from './payments.js';
import { InventoryRejected, InventoryReleased, InventoryReserved } from './inventory.js';
import { PageViewed, TopProductsUpdated } from './analytics.js';
import { FaultsConfigured, GroupPauseSet, StockChanged } from './operations.js';

export * from './orders.js';
export * from './payments.js';
export * from './inventory.js';
export * from './analytics.js';
export * from './operations.js';

/** Every event type, by name. The one place a new event type is registered. */
export const eventSchemas = {
  OrderPlaced,
  OrderCompleted,
  OrderCancelled,
  PaymentAuthorized,
  PaymentDeclined,
  PaymentVoided,
  InventoryReserved,
  InventoryRejected,
  InventoryReleased,
  PageViewed,
  TopProductsUpdated,
  FaultsConfigured,
  StockChanged,
  GroupPauseSet,
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventSchema = (typeof eventSchemas)[EventType];
export type EventOf<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;
export type DataOf<T extends EventType> = EventOf<T>['data'];

export const KafkadogEvent = z.discriminatedUnion('type', [
  OrderPlaced,
  OrderCompleted,
  OrderCancelled,
  PaymentAuthorized,
  PaymentDeclined,
  PaymentVoided,
  InventoryReserved,
  InventoryRejected,
  InventoryReleased,
  PageViewed,
  TopProductsUpdated,
  FaultsConfigured,
  StockChanged,
  GroupPauseSet,
]);
export type KafkadogEvent = z.infer<typeof KafkadogEvent>;

export const eventTypes = Object.keys(eventSchemas) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}
