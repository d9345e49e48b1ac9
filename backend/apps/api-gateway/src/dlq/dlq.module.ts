import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { DlqController } from './dlq.controller.js';
import { DlqService } from './dlq.service.js';

@Module({
  imports: [FeedModule],
  controllers: [DlqController],
  providers: [DlqService],
  exports: [DlqService],
})
export class DlqModule {}
