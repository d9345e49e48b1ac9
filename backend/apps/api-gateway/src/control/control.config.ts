import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

const controlEnv = z.object({
  /**
   * How long a reset with `pause: true` waits for the group to empty. Closing a consumer finishes
   * its record in progress; a member that died stays until its session times out (10 s default).
   */
  GROUP_PAUSE_WAIT_MS: z.coerce.number().int().positive().default(30_000),
});

export interface ControlConfig {
  readonly pauseWaitMs: number;
}

export const CONTROL_CONFIG = Symbol('CONTROL_CONFIG');

export function controlConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ControlConfig {
  return { pauseWaitMs: parseEnv(controlEnv, env).GROUP_PAUSE_WAIT_MS };
}
