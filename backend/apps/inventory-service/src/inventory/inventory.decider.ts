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
  const reservation = evolveReservation(state.reservation, event);
  if (reservation === state.reservation) return state;
  return { stock: withHold(state.stock, state.reservation, reservation), reservation };
}

/** What `evolve` does to the order's reservation; the stock follows from it (`withHold`). */
export function evolveReservation(
  reservation: Reservation | undefined,
  event: InventoryInput | InventoryOutput,
): Reservation | undefined {
  switch (event.type) {
    case 'InventoryReserved':
      return reservation ?? { status: 'reserved', items: event.data.items };
    case 'InventoryRejected':
      return reservation ?? { status: 'rejected', shortages: event.data.shortages };
    case 'InventoryReleased':
      return reservation?.status === 'reserved'
        ? { status: 'released', items: reservation.items }
        : reservation;
    case 'OrderCompleted':
      return reservation?.status === 'reserved'
        ? { status: 'sold', items: reservation.items }
        : reservation;
    case 'OrderCancelled':
      return reservation ?? { status: 'cancelled' };
    case 'OrderPlaced':
      return reservation;
    default:
      return unreachable(event);
  }
}

/**
 * The stock after one order's hold changes from `from` to `to`. An order holds stock while its
 * reservation is `reserved` (taken from available into reserved) or `sold` (into sold); every
 * other status holds nothing. So the stock is the catalog's minus every order's hold, and can be
 * derived from the orders' reservations alone (which is how inventory-service rebuilds it).
 */
export function withHold(
  stock: StockLevels,
  from: Reservation | undefined,
  to: Reservation | undefined,
): StockLevels {
  return addHold(addHold(stock, from, -1), to, 1);
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

const EMPTY: StockLevel = { available: 0, reserved: 0, sold: 0 };

/** Adds (sign 1) or takes back (sign -1) what a reservation holds. */
function addHold(
  stock: StockLevels,
  reservation: Reservation | undefined,
  sign: 1 | -1,
): StockLevels {
  if (reservation?.status !== 'reserved' && reservation?.status !== 'sold') return stock;
  const into = reservation.status === 'reserved' ? 'reserved' : 'sold';
  const next: Record<string, StockLevel> = { ...stock };
  for (const { productId, quantity } of reservation.items) {
    const level = next[productId] ?? EMPTY;
    next[productId] = {
      ...level,
      available: level.available - sign * quantity,
      [into]: level[into] + sign * quantity,
    };
  }
  return next;
}

function unreachable(value: never): never {
  throw new Error(`Unhandled event ${(value as { type: string }).type}`);
}
