import { runService } from '@kafkadog/service';
import { AppModule } from './app.module.js';

await runService(AppModule, { name: 'analytics-service', port: 3006 });
