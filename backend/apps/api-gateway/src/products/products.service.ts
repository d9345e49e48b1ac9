import { catalog, topics } from '@kafkadog/contracts';
import { Injectable } from '@nestjs/common';
import { EventFeed } from '../feed/event-feed.js';
import { ApiError } from '../http/api-error.js';
import { productsWithStock, type ProductView, type StockLevel } from './stock.js';

/** The catalog with live stock, from the inventory's compacted stock topic. */
@Injectable()
export class ProductsService {
  readonly #levels = new Map<string, StockLevel>();

  constructor(feed: EventFeed) {
    feed.on(topics.stock, ({ event }) => {
      if (event?.type !== 'StockChanged') return;
      const { productId, ...level } = event.data;
      this.#levels.set(productId, level);
    });
  }

  list(): ProductView[] {
    return productsWithStock(catalog, this.#levels);
  }

  get(id: string): ProductView {
    const product = this.list().find((candidate) => candidate.id === id);
    if (!product) throw ApiError.notFound(`product ${id}`);
    return product;
  }
}
