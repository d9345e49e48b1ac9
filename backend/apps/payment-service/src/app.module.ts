import { ServiceModule } from '@kafkadog/service';
import { Module } from '@nestjs/common';
import { PaymentsModule } from './payments/payments.module.js';

@Module({
  imports: [ServiceModule.forRoot({ name: 'payment-service' }), PaymentsModule],
})
export class AppModule {}
