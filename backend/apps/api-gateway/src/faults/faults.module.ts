import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { faultsConfigFromEnv, FAULTS_CONFIG } from './faults.config.js';
import { FaultsController } from './faults.controller.js';
import { FaultsService } from './faults.service.js';

@Module({
  imports: [FeedModule],
  controllers: [FaultsController],
  providers: [FaultsService, { provide: FAULTS_CONFIG, useFactory: faultsConfigFromEnv }],
  exports: [FaultsService],
})
export class FaultsModule {}
