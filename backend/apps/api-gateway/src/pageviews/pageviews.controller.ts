import { createEvent } from '@kafkadog/contracts';
import { KafkaClients } from '@kafkadog/service';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { writingToKafka } from '../http/kafka-unavailable.js';
import { parsePageview } from './pageview-request.js';

@Controller('pageviews')
export class PageviewsController {
  constructor(private readonly kafka: KafkaClients) {}

  /** 202: the view is in analytics.pageviews.v1; the analytics service counts it later. */
  @Post()
  @HttpCode(202)
  async record(@Body() body: unknown): Promise<{ eventId: string }> {
    const event = createEvent('PageViewed', parsePageview(body));
    await writingToKafka(this.kafka, 'the page view', () => this.kafka.producer.publish(event));
    return { eventId: event.id };
  }
}
