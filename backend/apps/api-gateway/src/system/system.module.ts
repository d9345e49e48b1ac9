import { Module } from '@nestjs/common';
import { servicesConfigFromEnv, SERVICES_CONFIG } from '../http/services.config.js';
import { SystemController } from './system.controller.js';
import { SystemHealthService } from './system-health.service.js';

@Module({
  controllers: [SystemController],
  providers: [SystemHealthService, { provide: SERVICES_CONFIG, useFactory: servicesConfigFromEnv }],
  exports: [SystemHealthService, SERVICES_CONFIG],
})
export class SystemModule {}
