import type { OrderLine } from './events/index.js';

export interface Product {
  readonly id: string;
  readonly name: string;
  /** Unit price in cents. */
  readonly price: number;
  /** Stock the inventory starts with. */
  readonly initialStock: number;
}

/**
 * The seeded catalog of a small tech shop. Two entries are there for learners to break things:
 * the graphics card has only 3 in stock (order 4 → `insufficient_stock`), and 4 laptops cost
 * more than the 500 000-cent payment limit (→ `limit_exceeded`) while still being in stock.
 */
export const catalog: readonly Product[] = [
  { id: 'sku-keyboard', name: 'Mechanical Keyboard', price: 8_999, initialStock: 50 },
  { id: 'sku-mouse', name: 'Wireless Mouse', price: 2_999, initialStock: 100 },
  { id: 'sku-usb-hub', name: 'USB-C Hub', price: 3_499, initialStock: 80 },
  { id: 'sku-webcam', name: 'HD Webcam', price: 5_999, initialStock: 40 },
  { id: 'sku-headphones', name: 'Noise-Cancelling Headphones', price: 19_999, initialStock: 30 },
  { id: 'sku-monitor', name: '27" 4K Monitor', price: 34_999, initialStock: 20 },
  { id: 'sku-gpu', name: 'Graphics Card', price: 79_900, initialStock: 3 },
  { id: 'sku-laptop', name: '14" Ultrabook Laptop', price: 129_900, initialStock: 10 },
];

const productsById = new Map(catalog.map((product) => [product.id, product]));

export function productById(id: string): Product | undefined {
  return productsById.get(id);
}

export interface RequestedItem {
  readonly productId: string;
  readonly quantity: number;
}

export type PricedOrder =
  { ok: true; lines: OrderLine[]; total: number } | { ok: false; unknown: string[] };

/**
 * Prices an order from the catalog: the client names products and quantities, never prices.
 * Lines are kept as requested (one per item, in order); quantities are validated by the
 * caller's schema. Fails with every unknown product id, each listed once.
 */
export function priceOrder(items: readonly RequestedItem[]): PricedOrder {
  const lines: OrderLine[] = [];
  const unknown = new Set<string>();
  for (const { productId, quantity } of items) {
    const product = productsById.get(productId);
    if (product) lines.push({ productId, quantity, unitPrice: product.price });
    else unknown.add(productId);
  }
  if (unknown.size > 0) return { ok: false, unknown: [...unknown] };

  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return { ok: true, lines, total };
}
