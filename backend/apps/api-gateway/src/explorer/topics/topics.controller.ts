import { Controller, Get, Param } from '@nestjs/common';
import { readingFromKafka } from '../../http/kafka-unavailable.js';
import { registryTopic } from '../registry-topic.js';
import {
  TopicsService,
  type ClusterView,
  type TopicDetail,
  type TopicSummary,
} from './topics.service.js';

@Controller('explorer')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Get('cluster')
  cluster(): Promise<ClusterView> {
    return readingFromKafka('the cluster', () => this.topics.cluster());
  }

  @Get('topics')
  list(): Promise<{ topics: TopicSummary[] }> {
    return readingFromKafka('the topics', () => this.topics.list());
  }

  @Get('topics/:name')
  detail(@Param('name') name: string): Promise<TopicDetail> {
    const spec = registryTopic(name);
    return readingFromKafka(spec.name, () => this.topics.detail(spec));
  }
}
