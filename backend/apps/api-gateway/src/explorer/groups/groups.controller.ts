import { Controller, Get, Param } from '@nestjs/common';
import { readingFromKafka } from '../../http/kafka-unavailable.js';
import { GroupsService, type GroupDetailView, type GroupSummaryView } from './groups.service.js';

@Controller('explorer/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  list(): Promise<{ groups: GroupSummaryView[] }> {
    return readingFromKafka('the consumer groups', () => this.groups.list());
  }

  @Get(':id')
  detail(@Param('id') id: string): Promise<GroupDetailView> {
    return readingFromKafka(`consumer group ${id}`, () => this.groups.detail(id));
  }
}
