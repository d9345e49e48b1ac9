import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { ordersConfigFromEnv, ORDERS_CONFIG } from './orders.config.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [FeedModule],
  controllers: [OrdersController],
  providers: [OrdersService, { provide: ORDERS_CONFIG, useFactory: () => ordersConfigFromEnv() }],
  exports: [OrdersService],
})
export class OrdersModule {}
