import { runService } from '@kafkadog/service';
import { AppModule } from './app.module.js';

await runService(AppModule, { name: 'order-saga', port: 3002 });
