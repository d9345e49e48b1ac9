import { Controller, Get, Param } from '@nestjs/common';
import { ProductsService } from './products.service.js';
import type { ProductView } from './stock.js';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  list(): ProductView[] {
    return this.products.list();
  }

  @Get(':id')
  get(@Param('id') id: string): ProductView {
    return this.products.get(id);
  }
}
