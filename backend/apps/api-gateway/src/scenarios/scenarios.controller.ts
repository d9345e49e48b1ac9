import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../http/validation.js';
import type { RunView } from './run.js';
import { SCENARIO_IDS } from './scenario.js';
import { ScenariosService, type ScenarioView } from './scenarios.service.js';

const ScenarioParams = z.object({ id: z.enum(SCENARIO_IDS) });
const RunParams = z.object({ runId: z.uuid() });

@Controller('scenarios')
export class ScenariosController {
  constructor(private readonly scenarios: ScenariosService) {}

  @Get()
  list(): { scenarios: ScenarioView[] } {
    return { scenarios: this.scenarios.list() };
  }

  /** 202: the run goes on in the background; follow it at GET /scenarios/runs/:runId. */
  @Post(':id/runs')
  @HttpCode(202)
  async start(@Param() params: unknown): Promise<{ runId: string }> {
    return { runId: await this.scenarios.start(parseInput(ScenarioParams, params).id) };
  }

  @Get('runs/:runId')
  run(@Param() params: unknown): RunView {
    return this.scenarios.get(parseInput(RunParams, params).runId);
  }

  @Get(':id/runs/latest')
  latest(@Param() params: unknown): RunView {
    return this.scenarios.latest(parseInput(ScenarioParams, params).id);
  }
}
