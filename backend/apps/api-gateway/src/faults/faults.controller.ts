import { Body, Controller, Get, Put } from '@nestjs/common';
import { parseInput } from '../http/validation.js';
import { FaultsUpdate } from './faults.js';
import { FaultsService, type FaultsView } from './faults.service.js';

@Controller('faults')
export class FaultsController {
  constructor(private readonly faults: FaultsService) {}

  @Get()
  current(): FaultsView {
    return this.faults.current();
  }

  /** A partial update; the whole setting is published and returned. */
  @Put()
  update(@Body() body: unknown): Promise<FaultsView> {
    return this.faults.update(parseInput(FaultsUpdate, body));
  }
}
