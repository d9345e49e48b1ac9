import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

export const sagaEnv = z.object({
  /** How long after its OrderPlaced an order may wait for its replies before it is cancelled. */
  SAGA_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
});

/** The Nest injection token of the parsed SagaConfig. */
export const SAGA_CONFIG = Symbol('SAGA_CONFIG');

export interface SagaConfig {
  readonly timeoutMs: number;
}

export function sagaConfig(env: NodeJS.ProcessEnv = process.env): SagaConfig {
  return { timeoutMs: parseEnv(sagaEnv, env).SAGA_TIMEOUT_MS };
}
