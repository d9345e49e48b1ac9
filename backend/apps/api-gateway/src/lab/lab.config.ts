import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

const labEnv = z.object({
  /**
   * The lab of the process that runs the stack (`npm start`, a test's stack): it starts and stops
   * service instances and the broker for the scenarios. Unset: those steps are the learner's.
   */
  LAB_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .url()
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
});

export interface LabConfig {
  readonly url: string | undefined;
}

export const LAB_CONFIG = Symbol('LAB_CONFIG');

export function labConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LabConfig {
  return { url: parseEnv(labEnv, env).LAB_URL };
}
