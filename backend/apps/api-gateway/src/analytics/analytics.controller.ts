import { Controller, Get } from '@nestjs/common';
import { AnalyticsService, type TopProducts } from './analytics.service.js';

@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('top-products')
  topProducts(): TopProducts {
    return this.analytics.topProducts();
  }
}
