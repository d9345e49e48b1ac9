import { Module } from '@nestjs/common';
import { PageviewsController } from './pageviews.controller.js';

@Module({ controllers: [PageviewsController] })
export class PageviewsModule {}
