import {
  catalog,
  causedBy,
  type DataOf,
  type EventOf,
  type Product,
  type StockLine,
} from '@kafkadog/contracts';

/**
 * Stock reservation, as a decider: `decide(state, input) → outputs`, `evolve(state, event) →
 * state`. The adapter folds the input, then the outputs:
 * `state = [input, ...decide(state, input)].reduce(evolve, state)`.
 *
 * The state is a slice: every product's stock plus the one order the event is about. The
 * adapter keeps the reservations in a map by order id and hands in the order's entry, so each
 * event costs O(products), not a copy of every order ever seen.
 *
 * Invariant, for every product, after every fold: initial = available + reserved + sold, and
 * available ≥ 0 (no oversell). Reservations are all-or-nothing per order.
 */

export type InventoryInput =
  EventOf<'OrderPlaced'> | EventOf<'OrderCancelled'> | EventOf<'OrderCompleted'>;
export type InventoryOutput =
  EventOf<'InventoryReserved'> | EventOf<'InventoryRejected'> | EventOf<'InventoryReleased'>;

export interface StockLevel {
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
}
export type StockLevels = Readonly<Record<string, StockLevel>>;

export type Shortage = DataOf<'InventoryRejected'>['shortages'][number];

/** What inventory decided for one order; `undefined` in the state until it decides. */
export type Reservation =
  | { status: 'reserved' | 'released' | 'sold'; items: readonly StockLine[] }
  | { status: 'rejected'; shortages: readonly Shortage[] }
  /** The order was cancelled before we decided (e.g. a saga timeout): never reserve for it. */
  | { status: 'cancelled' };

export interface InventoryState {
  readonly stock: StockLevels;
  readonly reservation: Reservation | undefined;
}

export function initialStock(products: readonly Product[] = catalog): StockLevels {
  return Object.fromEntries(
    products.map((product) => [
      product.id,
      { available: product.initialStock, reserved: 0, sold: 0 },
    ]),
  );
}

export function decide(state: InventoryState, input: InventoryInput): InventoryOutput[] {
  switch (input.type) {
    case 'OrderPlaced': {
      if (state.reservation) return [];
      const shortages = shortagesOf(state.stock, input.data.items);
      if (shortages.length > 0) {
        return [causedBy(input, 'InventoryRejected', { reason: 'insufficient_stock', shortages })];
      }
      const items = input.data.items.map(({ productId, quantity }) => ({ productId, quantity }));
      return [causedBy(input, 'InventoryReserved', { items })];
    }
    case 'OrderCancelled':
      // Compensation of InventoryReserved: only stock still held for the order goes back.
      if (state.reservation?.status !== 'reserved') return [];
      return [causedBy(input, 'InventoryReleased', { items: [...state.reservation.items] })];
    case 'OrderCompleted':
      return []; // the sale is folded by evolve; see there
    default:
      return unreachable(input);
  }
}

/**
 * Folds this service's own events (inventory.v1) and two outcomes it reacts to without
 * publishing anything:
 * - OrderCompleted moves the order's stock from reserved to sold. It is folded directly rather
 *   than turned into an internal "StockSold" event: it already is a durable fact on
 *   orders.outcome.v1, and inventory.v1 only carries what other services react to. To rebuild,
 *   fold inventory.v1, then orders.outcome.v1 (every OrderCompleted follows its reservation).
 * - OrderCancelled marks an order cancelled before we decided, because it can arrive first
 *   (outcomes and orders are different topics; an OrderPlaced may sit in the retry topic).
 *   Once decided it changes nothing: InventoryReleased does the release.
 * Every transition checks the reservation's status first, so folding anything twice is a no-op.
 */
export function evolve(
  state: InventoryState,
  event: InventoryInput | InventoryOutput,
): InventoryState {
  const { stock, reservation } = state;
  switch (event.type) {
    case 'InventoryReserved':
      if (reservation) return state;
      return {
        stock: moveStock(stock, event.data.items, reserve),
        reservation: { status: 'reserved', items: event.data.items },
      };
    case 'InventoryRejected':
      if (reservation) return state;
      return { stock, reservation: { status: 'rejected', shortages: event.data.shortages } };
    case 'InventoryReleased':
      if (reservation?.status !== 'reserved') return state;
      return {
        stock: moveStock(stock, reservation.items, release),
        reservation: { status: 'released', items: reservation.items },
      };
    case 'OrderCompleted':
      if (reservation?.status !== 'reserved') return state;
      return {
        stock: moveStock(stock, reservation.items, sell),
        reservation: { status: 'sold', items: reservation.items },
      };
    case 'OrderCancelled':
      return reservation ? state : { stock, reservation: { status: 'cancelled' } };
    case 'OrderPlaced':
      return state;
    default:
      return unreachable(event);
  }
}

/** True when every product satisfies initial = available + reserved + sold, none negative. */
export function isStockConserved(
  stock: StockLevels,
  products: readonly Product[] = catalog,
): boolean {
  return products.every((product) => {
    const level = stock[product.id];
    if (!level) return false;
    const { available, reserved, sold } = level;
    return (
      available >= 0 &&
      reserved >= 0 &&
      sold >= 0 &&
      available + reserved + sold === product.initialStock
    );
  });
}

/** Lines for the same product are summed: two lines of 2 need 4 in stock. */
function shortagesOf(stock: StockLevels, items: readonly StockLine[]): Shortage[] {
  const requested = new Map<string, number>();
  for (const { productId, quantity } of items) {
    requested.set(productId, (requested.get(productId) ?? 0) + quantity);
  }
  return [...requested]
    .map(([productId, quantity]) => ({
      productId,
      requested: quantity,
      available: stock[productId]?.available ?? 0,
    }))
    .filter((line) => line.requested > line.available);
}

type Move = (level: StockLevel, quantity: number) => StockLevel;

const reserve: Move = (l, q) => ({ ...l, available: l.available - q, reserved: l.reserved + q });
const release: Move = (l, q) => ({ ...l, available: l.available + q, reserved: l.reserved - q });
const sell: Move = (l, q) => ({ ...l, reserved: l.reserved - q, sold: l.sold + q });

const EMPTY: StockLevel = { available: 0, reserved: 0, sold: 0 };

function moveStock(stock: StockLevels, items: readonly StockLine[], move: Move): StockLevels {
  const next: Record<string, StockLevel> = { ...stock };
  for (const { productId, quantity } of items) {
    next[productId] = move(next[productId] ?? EMPTY, quantity);
  }
  return next;
}

function unreachable(value: never): never {
  throw new Error(`Unhandled event ${(value as { type: string }).type}`);
}
