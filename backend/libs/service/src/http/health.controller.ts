import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { KafkaClients } from '../kafka/kafka-clients.js';
import { HealthRegistry, isHealthy, type CheckStatus } from './health-registry.js';

@Controller()
export class HealthController {
  constructor(
    private readonly kafka: KafkaClients,
    private readonly registry: HealthRegistry,
  ) {}

  /** 200 when the service and its Kafka connection are up; 503 naming what is not. */
  @Get('health')
  health(@Res({ passthrough: true }) response: Response) {
    const checks: Record<string, CheckStatus> = {
      kafka: this.kafka.connected ? 'up' : 'down',
      ...this.registry.report(),
    };
    const healthy = Object.values(checks).every(isHealthy);
    if (!healthy) response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: healthy ? 'ok' : 'unavailable', checks };
  }

  /** Prometheus text format: the Kafka layer's counters, the service's own, and Node's. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.kafka.metrics.registry.metrics();
  }
}
