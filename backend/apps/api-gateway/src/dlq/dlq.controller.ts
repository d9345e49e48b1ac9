import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../http/validation.js';
import type { DeadLetterView, DlqStats } from './dead-letters.js';
import { DlqService, type Redrive } from './dlq.service.js';

/** The largest `limit` of GET /dlq. */
export const MAX_DLQ_PAGE = 1000;
/** Offsets up to 15 digits: exact as a JavaScript number. */
export const MAX_DLQ_OFFSET = 999_999_999_999_999;
const DlqQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_DLQ_PAGE).default(100),
});
const Offset = z.object({
  offset: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an offset of orders.dlq.v1 (a whole number)')
    .transform(Number),
});

@Controller()
export class DlqController {
  constructor(private readonly dlq: DlqService) {}

  @Get('metrics/dlq')
  stats(): DlqStats {
    return this.dlq.stats();
  }

  /** Newest first. */
  @Get('dlq')
  list(@Query() query: unknown): { total: number; entries: DeadLetterView[] } {
    return this.dlq.list(parseInput(DlqQuery, query).limit);
  }

  /** 202: the record is back in orders.retry.v1, for the group that gave up on it. */
  @Post('dlq/:offset/redrive')
  @HttpCode(202)
  redrive(@Param() params: unknown): Promise<Redrive> {
    return this.dlq.redrive(parseInput(Offset, params).offset);
  }
}
