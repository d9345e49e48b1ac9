import { Module } from '@nestjs/common';
import { EventStream } from './event-stream.service.js';
import { EventsController } from './events.controller.js';

@Module({ controllers: [EventsController], providers: [EventStream] })
export class EventsModule {}
