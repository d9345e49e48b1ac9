import { ServiceModule } from '@kafkadog/service';
import { Module } from '@nestjs/common';
import { InventoryModule } from './inventory/inventory.module.js';

@Module({
  imports: [ServiceModule.forRoot({ name: 'inventory-service' }), InventoryModule],
})
export class AppModule {}
