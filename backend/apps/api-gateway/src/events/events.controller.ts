import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { parseInput } from '../http/validation.js';
import { EventStream } from './event-stream.service.js';
import { EventsQuery } from './events-filter.js';

@Controller('events')
export class EventsController {
  constructor(private readonly stream: EventStream) {}

  /** text/event-stream: one event per record, `: heartbeat` comments every 15 s.
   * `?topic=` (repeatable) and `?key=` narrow it; a bad filter is a 400 before the stream opens. */
  @Get()
  events(@Query() query: unknown, @Res() response: Response): Promise<void> {
    return this.stream.subscribe(response, parseInput(EventsQuery, query));
  }
}
