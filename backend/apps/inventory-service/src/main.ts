import { runService } from '@kafkadog/service';
import { AppModule } from './app.module.js';

await runService(AppModule, { name: 'inventory-service', port: 3004 });
