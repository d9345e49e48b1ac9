import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { parseInput } from '../../http/validation.js';
import { registryTopic } from '../registry-topic.js';
import { MessageBrowser, type MessagePage, type Produced } from './message-browser.js';
import { BrowseQuery, ProduceRequest } from './message-request.js';

@Controller('explorer/topics/:name/messages')
export class MessagesController {
  constructor(private readonly browser: MessageBrowser) {}

  @Get()
  browse(@Param('name') name: string, @Query() query: unknown): Promise<MessagePage> {
    const spec = registryTopic(name);
    return this.browser.browse(spec, parseInput(BrowseQuery, query));
  }

  /** 201 with where the broker stored it. */
  @Post()
  @HttpCode(201)
  produce(@Param('name') name: string, @Body() body: unknown): Promise<Produced> {
    const spec = registryTopic(name);
    return this.browser.produce(spec, parseInput(ProduceRequest, body));
  }
}
