import { randomInt } from 'node:crypto';

/** `npm test` runs the short fault runs; `npm run test:faults` sets KAFKADOG_FAULTS=long. */
export type FaultLength = 'short' | 'long';

export function faultLength(env: NodeJS.ProcessEnv = process.env): FaultLength {
  const value = env.KAFKADOG_FAULTS ?? 'short';
  if (value !== 'short' && value !== 'long') {
    throw new Error(`KAFKADOG_FAULTS must be short or long (got "${value}")`);
  }
  return value;
}

/** FAULTS_SEED replays a chaos run's kills; else a new seed, printed with the report. */
export function faultSeed(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.FAULTS_SEED;
  if (value === undefined || value === '') return randomInt(2 ** 31);
  if (!/^\d+$/.test(value)) throw new Error(`FAULTS_SEED must be a whole number (got "${value}")`);
  return Number(value);
}

/**
 * INVENTORY_STOCK_SCALE for a run of `orders` orders: the scarce products (3 graphics cards, 10
 * laptops, times the scale) sell out partway, so reservations, rejections and releases all
 * happen under the fault, while the plentiful ones last the whole run.
 */
export function stockScaleFor(orders: number): number {
  return Math.max(1, Math.round(orders / 100));
}
