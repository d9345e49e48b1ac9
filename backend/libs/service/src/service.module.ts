import { hostname } from 'node:os';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { baseEnv, parseEnv, Port } from './config/env.js';
import { HealthController } from './http/health.controller.js';
import { HealthRegistry } from './http/health-registry.js';
import { KafkaClients } from './kafka/kafka-clients.js';
import { createNestLogger, kafkaLoggerFor } from './logging.js';
import { instanceName, SERVICE_OPTIONS, type ServiceOptions } from './service-options.js';

/**
 * What every kafkadog service imports once: its Kafka clients, GET /health and GET /metrics.
 */
@Global()
@Module({})
export class ServiceModule {
  static forRoot(options: { name: string }): DynamicModule {
    return {
      module: ServiceModule,
      controllers: [HealthController],
      providers: [
        {
          provide: SERVICE_OPTIONS,
          useFactory: (): ServiceOptions => {
            const env = parseEnv(baseEnv.extend({ PORT: Port.optional() }));
            return {
              name: options.name,
              brokers: env.KAFKA_BROKERS,
              kafkaLogger: kafkaLoggerFor(createNestLogger(options.name), 'Kafka'),
              processing: env.KAFKADOG_PROCESSING,
              stateGraceMs: env.ORDER_STATE_GRACE_MS,
              instance: instanceName(hostname(), env.PORT),
            };
          },
        },
        KafkaClients,
        HealthRegistry,
      ],
      exports: [SERVICE_OPTIONS, KafkaClients, HealthRegistry],
    };
  }
}
