import { ServiceModule } from '@kafkadog/service';
import { Module } from '@nestjs/common';
import { AnalyticsModule } from './analytics/analytics.module.js';

@Module({
  imports: [ServiceModule.forRoot({ name: 'analytics-service' }), AnalyticsModule],
})
export class AppModule {}
