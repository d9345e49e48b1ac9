import { runService } from '@kafkadog/service';
import { AppModule } from './app.module.js';

await runService(AppModule, { name: 'notification-service', port: 3005 });
