import { Module } from '@nestjs/common';
import { ANALYTICS_CONFIG, analyticsConfig } from './analytics.config.js';
import { AnalyticsService } from './analytics.service.js';

@Module({
  providers: [{ provide: ANALYTICS_CONFIG, useFactory: () => analyticsConfig() }, AnalyticsService],
})
export class AnalyticsModule {}
