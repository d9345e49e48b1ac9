import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { CONTROL_CONFIG, controlConfigFromEnv } from './control.config.js';
import { ControlController } from './control.controller.js';
import { GroupControl } from './group-control.js';
import { GroupResetService } from './group-reset.service.js';

/** Pause, resume and reset consumer groups; exports GroupControl (which groups are paused). */
@Module({
  imports: [FeedModule],
  controllers: [ControlController],
  providers: [
    GroupControl,
    GroupResetService,
    { provide: CONTROL_CONFIG, useFactory: controlConfigFromEnv },
  ],
  exports: [GroupControl],
})
export class ControlModule {}
