import { runService } from '@kafkadog/service';
import { AppModule } from './app.module.js';

await runService(AppModule, { name: 'payment-service', port: 3003 });
