import { Module } from '@nestjs/common';
import { GROUP_PAUSES, noPauses } from './groups/group-pauses.js';
import { GroupWatcher } from './groups/group-watcher.js';
import { GroupsController } from './groups/groups.controller.js';
import { GroupsService } from './groups/groups.service.js';
import { MessageBrowser } from './messages/message-browser.js';
import { MessagesController } from './messages/messages.controller.js';
import { TopicsController } from './topics/topics.controller.js';
import { TopicsService } from './topics/topics.service.js';

/** The Kafka explorer's API: topics, their records, and consumer groups. */
@Module({
  controllers: [TopicsController, MessagesController, GroupsController],
  providers: [
    TopicsService,
    MessageBrowser,
    GroupWatcher,
    GroupsService,
    // Whether a group is paused: replace this provider once pausing exists.
    { provide: GROUP_PAUSES, useValue: noPauses },
  ],
})
export class ExplorerModule {}
