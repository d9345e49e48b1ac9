import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

@Module({
  imports: [FeedModule],
  controllers: [ProductsController],
  providers: [ProductsService],
})
export class ProductsModule {}
