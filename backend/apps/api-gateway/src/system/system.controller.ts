import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { SystemHealthService, type SystemHealth } from './system-health.service.js';

@Controller('system')
export class SystemController {
  constructor(private readonly health: SystemHealthService) {}

  /** Every service's health and Kafka's; 200 even when some are down (that is the answer). */
  @Get('health')
  report(@Req() request: Request): Promise<SystemHealth> {
    return this.health.report(`${request.protocol}://${request.get('host') ?? ''}`);
  }
}
