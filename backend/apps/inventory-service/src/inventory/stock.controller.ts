import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { InventoryService } from './inventory.service.js';
import type { StockRow } from './stock-ledger.js';

@Controller()
export class StockController {
  constructor(private readonly inventory: InventoryService) {}

  /** Per product `{ productId, initial, available, reserved, sold }`, for tests and learners. */
  @Get('stock')
  stock(): StockRow[] {
    if (this.inventory.role !== 'active') {
      throw new ServiceUnavailableException(
        `this instance is a ${this.inventory.role}: ask the active instance of inventory-service`,
      );
    }
    if (!this.inventory.ready) {
      throw new ServiceUnavailableException('stock is still loading from Kafka');
    }
    return this.inventory.stock();
  }
}
