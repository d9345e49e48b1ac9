import { Module } from '@nestjs/common';
import { INVENTORY_CONFIG, inventoryConfig } from './inventory.config.js';
import { InventoryService } from './inventory.service.js';
import { StockController } from './stock.controller.js';

@Module({
  controllers: [StockController],
  providers: [{ provide: INVENTORY_CONFIG, useFactory: () => inventoryConfig() }, InventoryService],
})
export class InventoryModule {}
