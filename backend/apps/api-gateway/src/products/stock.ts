import type { DataOf, Product } from '@kafkadog/contracts';

export type StockLevel = Omit<DataOf<'StockChanged'>, 'productId'>;

export interface ProductView {
  readonly id: string;
  readonly name: string;
  /** Unit price in cents. */
  readonly price: number;
  /** Available now: what an order can still reserve. */
  readonly stock: number;
  readonly reserved: number;
  readonly sold: number;
  readonly initialStock: number;
}

/**
 * The catalog with each product's latest StockChanged; a product the inventory has not reported
 * yet has its initial stock.
 */
export function productsWithStock(
  catalog: readonly Product[],
  levels: ReadonlyMap<string, StockLevel>,
): ProductView[] {
  return catalog.map((product) => {
    const level = levels.get(product.id);
    return {
      id: product.id,
      name: product.name,
      price: product.price,
      stock: level?.available ?? product.initialStock,
      reserved: level?.reserved ?? 0,
      sold: level?.sold ?? 0,
      initialStock: product.initialStock,
    };
  });
}
