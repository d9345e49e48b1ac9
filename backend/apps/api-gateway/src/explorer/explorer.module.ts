import { Module } from '@nestjs/common';
import { ControlModule } from '../control/control.module.js';
import { GroupControl } from '../control/group-control.js';
import { GROUP_PAUSES } from './groups/group-pauses.js';
import { GroupWatcher } from './groups/group-watcher.js';
import { GroupsController } from './groups/groups.controller.js';
import { GroupsService } from './groups/groups.service.js';
import { MessageBrowser } from './messages/message-browser.js';
import { MessagesController } from './messages/messages.controller.js';
import { TopicsController } from './topics/topics.controller.js';
import { TopicsService } from './topics/topics.service.js';

/** The Kafka explorer's API: topics, their records, and consumer groups. */
@Module({
  imports: [ControlModule],
  controllers: [TopicsController, MessagesController, GroupsController],
  providers: [
    TopicsService,
    MessageBrowser,
    GroupWatcher,
    GroupsService,
    // Which groups are paused: what the explorer's pause buttons published to Kafka.
    { provide: GROUP_PAUSES, useExisting: GroupControl },
  ],
})
export class ExplorerModule {}
