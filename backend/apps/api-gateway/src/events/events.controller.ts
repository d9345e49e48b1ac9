import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EventStream } from './event-stream.service.js';

@Controller('events')
export class EventsController {
  constructor(private readonly stream: EventStream) {}

  /** text/event-stream: one event per record, `: heartbeat` comments every 15 s. */
  @Get()
  events(@Res() response: Response): void {
    this.stream.subscribe(response);
  }
}
