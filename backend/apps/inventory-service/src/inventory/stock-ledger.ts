import { catalog, type Product } from '@kafkadog/contracts';
import {
  initialStock,
  withHold,
  type InventoryState,
  type Reservation,
  type StockLevel,
  type StockLevels,
} from './inventory.decider.js';

export interface StockRow extends StockLevel {
  readonly productId: string;
  readonly initial: number;
}

/**
 * The global stock, kept as what every order holds: the catalog's stock minus each order's hold
 * (see `withHold`). inventory-service keeps a reservation per order in its state topic; the
 * ledger is the stock view over all of them, derived at load and updated as orders change.
 *
 * Holding per order (rather than adding and taking away numbers) makes an update idempotent and
 * lets the decider see the stock "as if this order held exactly what its state says", whatever
 * the ledger had recorded for it before: see `sliceFor`.
 */
export class StockLedger {
  readonly #products: readonly Product[];
  #stock: StockLevels;
  /** Only orders that hold stock (reserved or sold). */
  readonly #holds = new Map<string, Reservation>();

  constructor(products: readonly Product[] = catalog) {
    this.#products = products;
    this.#stock = initialStock(products);
  }

  get stock(): StockLevels {
    return this.#stock;
  }

  /** What the ledger counts the order as holding. */
  holdOf(orderId: string): Reservation | undefined {
    return this.#holds.get(orderId);
  }

  /** Records what the order holds now; returns the products whose numbers changed. */
  set(orderId: string, reservation: Reservation | undefined): string[] {
    const before = this.#holds.get(orderId);
    if (holds(reservation)) this.#holds.set(orderId, reservation);
    else this.#holds.delete(orderId);
    const previous = this.#stock;
    this.#stock = withHold(previous, before, reservation);
    return Object.keys(this.#stock).filter((id) => !sameLevel(previous[id], this.#stock[id]));
  }

  /**
   * The decider's state for one order: its reservation, and the stock as if the order held
   * exactly that. The order's own earlier hold is not counted against it, so deciding the same
   * order again gives the same answer whatever the ledger recorded for it meanwhile.
   */
  sliceFor(orderId: string, reservation: Reservation | undefined): InventoryState {
    return { stock: withHold(this.#stock, this.#holds.get(orderId), reservation), reservation };
  }

  /** Every catalog product with its initial stock and where it is now. */
  rows(): StockRow[] {
    return this.#products.map((product) => ({
      productId: product.id,
      initial: product.initialStock,
      ...(this.#stock[product.id] ?? { available: 0, reserved: 0, sold: 0 }),
    }));
  }
}

function holds(reservation: Reservation | undefined): reservation is Reservation {
  return reservation?.status === 'reserved' || reservation?.status === 'sold';
}

function sameLevel(a: StockLevel | undefined, b: StockLevel | undefined): boolean {
  return a?.available === b?.available && a?.reserved === b?.reserved && a?.sold === b?.sold;
}
