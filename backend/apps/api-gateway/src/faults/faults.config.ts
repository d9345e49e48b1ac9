import { parseEnv } from '@kafkadog/service';
import { z } from 'zod';

const faultsEnv = z.object({
  /** The inventory failure rate before any FaultsConfigured, as the inventory service reads it. */
  INVENTORY_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
});

export interface FaultsConfig {
  readonly initialInventoryFailureRate: number;
}

export const FAULTS_CONFIG = Symbol('FAULTS_CONFIG');

export function faultsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FaultsConfig {
  return { initialInventoryFailureRate: parseEnv(faultsEnv, env).INVENTORY_FAILURE_RATE };
}
