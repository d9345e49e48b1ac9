import { catalog, type Product } from '@kafkadog/contracts';
import {
  initialStock,
  withHold,
  type Reservation,
  type StockLevel,
  type StockLevels,
} from './inventory.decider.js';

export interface StockRow extends StockLevel {
  readonly productId: string;
  readonly initial: number;
}

/**
 * The global stock: the catalog's stock minus what every order holds (see `withHold`).
 * inventory-service keeps a reservation per order in its state topic; the ledger is the fold of
 * every change of those reservations (`move`, from the state store's changes), so it holds no
 * order itself: its memory does not grow with the orders.
 */
export class StockLedger {
  readonly #products: readonly Product[];
  #stock: StockLevels;

  constructor(products: readonly Product[] = catalog) {
    this.#products = products;
    this.#stock = initialStock(products);
  }

  get stock(): StockLevels {
    return this.#stock;
  }

  /** An order's hold went from `from` to `to`; returns the products whose numbers changed. */
  move(from: Reservation | undefined, to: Reservation | undefined): string[] {
    const previous = this.#stock;
    this.#stock = withHold(previous, from, to);
    return changedProducts(previous, this.#stock);
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

/** The products whose available, reserved or sold numbers differ between the two. */
export function changedProducts(before: StockLevels, after: StockLevels): string[] {
  return Object.keys(after).filter((id) => !sameLevel(before[id], after[id]));
}

function sameLevel(a: StockLevel | undefined, b: StockLevel | undefined): boolean {
  return a?.available === b?.available && a?.reserved === b?.reserved && a?.sold === b?.sold;
}
