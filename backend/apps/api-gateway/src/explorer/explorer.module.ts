import { Module } from '@nestjs/common';
import { MessageBrowser } from './messages/message-browser.js';
import { MessagesController } from './messages/messages.controller.js';
import { TopicsController } from './topics/topics.controller.js';
import { TopicsService } from './topics/topics.service.js';

/** The Kafka explorer's API: topics, their records, and consumer groups. */
@Module({
  controllers: [TopicsController, MessagesController],
  providers: [TopicsService, MessageBrowser],
})
export class ExplorerModule {}
