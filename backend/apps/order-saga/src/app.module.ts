import { ServiceModule } from '@kafkadog/service';
import { Module } from '@nestjs/common';
import { SagaModule } from './saga/saga.module.js';

@Module({
  imports: [ServiceModule.forRoot({ name: 'order-saga' }), SagaModule],
})
export class AppModule {}
