import { Module } from '@nestjs/common';
import { SAGA_CONFIG, sagaConfig } from './saga.config.js';
import { SagaService } from './saga.service.js';

@Module({
  providers: [{ provide: SAGA_CONFIG, useFactory: () => sagaConfig() }, SagaService],
})
export class SagaModule {}
