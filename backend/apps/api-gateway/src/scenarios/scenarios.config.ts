import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

const scenariosEnv = z.object({
  /** How long a run waits for what it caused (a dead letter, an outcome). */
  SCENARIO_WAIT_MS: z.coerce.number().int().positive().default(90_000),
  /** How long a run watches for what the learner does by hand (an instance, a broker stop). */
  SCENARIO_WATCH_MS: z.coerce.number().int().positive().default(300_000),
  /** How long a run goes on watching once its verdict passed: a late duplicate still counts. */
  SCENARIO_SETTLE_MS: z.coerce.number().int().min(0).default(1_000),
});

export interface ScenariosConfig {
  readonly waitMs: number;
  readonly watchMs: number;
  readonly settleMs: number;
}

export const SCENARIOS_CONFIG = Symbol('SCENARIOS_CONFIG');

export function scenariosConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ScenariosConfig {
  const parsed = parseEnv(scenariosEnv, env);
  return {
    waitMs: parsed.SCENARIO_WAIT_MS,
    watchMs: parsed.SCENARIO_WATCH_MS,
    settleMs: parsed.SCENARIO_SETTLE_MS,
  };
}
