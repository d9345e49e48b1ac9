import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { parseInput } from '../http/validation.js';
import { GroupControl } from './group-control.js';
import { GroupResetService, type ResetResult } from './group-reset.service.js';
import { ResetRequest } from './reset-request.js';

interface PauseState {
  readonly groupId: string;
  readonly paused: boolean;
}

/** The explorer's switches on a consumer group: pause, resume, reset its offsets. */
@Controller('explorer/groups')
export class ControlController {
  constructor(
    private readonly control: GroupControl,
    private readonly resets: GroupResetService,
  ) {}

  @Post(':id/pause')
  @HttpCode(202)
  async pause(@Param('id') groupId: string): Promise<PauseState> {
    await this.control.pause(groupId);
    return { groupId, paused: true };
  }

  @Post(':id/resume')
  @HttpCode(202)
  async resume(@Param('id') groupId: string): Promise<PauseState> {
    await this.control.resume(groupId);
    return { groupId, paused: false };
  }

  @Post(':id/reset')
  @HttpCode(200)
  reset(@Param('id') groupId: string, @Body() body: unknown): Promise<ResetResult> {
    return this.resets.reset(groupId, parseInput(ResetRequest, body));
  }
}
