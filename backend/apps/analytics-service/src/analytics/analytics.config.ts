import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

const positiveMs = z.coerce.number().int().positive();

export const analyticsEnv = z.object({
  /** Length of the tumbling event-time windows. */
  ANALYTICS_WINDOW_MS: positiveMs.default(60_000),
  /** How often the current window's TopProductsUpdated is published. */
  ANALYTICS_EMIT_INTERVAL_MS: positiveMs.default(5_000),
  /** How many products each ranking lists. */
  ANALYTICS_TOP_N: z.coerce.number().int().min(1).max(100).default(5),
});

/** The Nest injection token of the parsed AnalyticsConfig. */
export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');

export interface AnalyticsConfig {
  readonly windowMs: number;
  readonly emitIntervalMs: number;
  readonly topN: number;
}

export function analyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const parsed = parseEnv(analyticsEnv, env);
  return {
    windowMs: parsed.ANALYTICS_WINDOW_MS,
    emitIntervalMs: parsed.ANALYTICS_EMIT_INTERVAL_MS,
    topN: parsed.ANALYTICS_TOP_N,
  };
}
