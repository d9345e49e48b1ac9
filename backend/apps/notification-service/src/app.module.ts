import { ServiceModule } from '@kafkadog/service';
import { Module } from '@nestjs/common';
import { NotificationsModule } from './notifications/notifications.module.js';

@Module({
  imports: [ServiceModule.forRoot({ name: 'notification-service' }), NotificationsModule],
})
export class AppModule {}
