import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../kafka/config.js';
import { KafkadogError } from '../kafka/errors.js';
import { PROCESSING_MODES, type ProcessingMode } from './processing.js';

export const LOADS = ['fixed', 'max'] as const;
export type Load = (typeof LOADS)[number];
export const VIAS = ['http', 'kafka'] as const;
export type Via = (typeof VIAS)[number];

export interface BenchArgs {
  readonly help: boolean;
  /** The loads to run, in this order. */
  readonly loads: readonly Load[];
  readonly ratePerSec: number;
  readonly durationSec: number;
  /**
   * Seconds at the fixed rate before anything is measured (the broker's and Node's JIT), or
   * `auto`: until the broker's JIT has settled (warm-up.ts).
   */
  readonly warmUp: number | 'auto';
  readonly maxDurationSec: number;
  /** Max throughput: at most this many orders placed and without an outcome at once. */
  readonly window: number;
  /** How orders go in, per load. */
  readonly via: Readonly<Record<Load, Via>>;
  readonly processing: readonly ProcessingMode[];
  /** Measure the broker's limit with Kafka's own tools. */
  readonly limit: boolean;
  /** Time a replay of notification-service from the earliest offsets. */
  readonly replay: boolean;
  readonly outDir: string;
}

export const DEFAULT_VIA: Readonly<Record<Load, Via>> = { fixed: 'http', max: 'kafka' };

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        mode: { type: 'string', default: 'both' },
        rate: { type: 'string', default: '100' },
        duration: { type: 'string', default: '30' },
        'warm-up': { type: 'string', default: 'auto' },
        'max-duration': { type: 'string', default: '60' },
        window: { type: 'string', default: '500' },
        via: { type: 'string' },
        processing: { type: 'string', default: 'at-least-once' },
        'no-limit': { type: 'boolean', default: false },
        'no-replay': { type: 'boolean', default: false },
        out: { type: 'string', default: path.join('bench', 'results') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new KafkadogError(
      'BAD_ARGS',
      `${(error as Error).message.split('\n')[0]?.replace(/\.$/, '')}: see \`npm run bench -- --help\`.`,
      { cause: error },
    );
  }
  const mode = oneOf(values.mode, [...LOADS, 'both'], '--mode');
  const via = values.via === undefined ? undefined : oneOf(values.via, VIAS, '--via');
  const processing = oneOf(values.processing, [...PROCESSING_MODES, 'both'], '--processing');
  return {
    help: values.help,
    loads: mode === 'both' ? LOADS : [mode],
    ratePerSec: positive(values.rate, '--rate'),
    durationSec: positive(values.duration, '--duration'),
    warmUp: warmUp(values['warm-up']),
    maxDurationSec: positive(values['max-duration'], '--max-duration'),
    window: wholeNumber(values.window, '--window'),
    via: via === undefined ? DEFAULT_VIA : { fixed: via, max: via },
    processing: processing === 'both' ? PROCESSING_MODES : [processing],
    limit: !values['no-limit'],
    replay: !values['no-replay'],
    outDir: path.resolve(REPO_ROOT, values.out),
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new KafkadogError(
      'BAD_ARGS',
      `${option} must be one of ${allowed.join(', ')} (got "${value}").`,
    );
  }
  return value as T;
}

function positive(value: string, option: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new KafkadogError('BAD_ARGS', `${option} needs a number > 0 (got "${value}").`);
  }
  return number;
}

function warmUp(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new KafkadogError(
      'BAD_ARGS',
      `--warm-up needs "auto" or a number of seconds ≥ 0 (got "${value}").`,
    );
  }
  return number;
}

function wholeNumber(value: string, option: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new KafkadogError('BAD_ARGS', `${option} needs a whole number ≥ 1 (got "${value}").`);
  }
  return Number(value);
}

export const HELP = `Load-test kafkadog and report latency, throughput, lag, CPU and memory.

  npm run bench [-- options]

Starts its own Kafka (temp data dir, free ports) and the six services built from backend/,
places orders, measures, writes bench/results/latest.json (+ a dated copy) and latest.svg,
then stops everything it started.

--mode fixed|max|both     fixed: a steady rate; max: as fast as the stack completes orders,
                          with at most --window orders in flight (default both)
--rate N                  orders per second of the fixed rate (default 100)
--duration S              seconds of the fixed rate (default 30)
--warm-up auto|S          the fixed rate before measuring, not counted: a fresh broker
                          compiles (JIT) for a minute or more. auto: until the broker's JIT
                          compiler threads have used under 5 % of a CPU for 10 s (20 to
                          180 s); S: that many seconds; 0 skips it (default auto)
--max-duration S          seconds of maximum throughput (default 60)
--window K                max throughput: orders placed but without an outcome, at most (default 500)
--via http|kafka          http: POST /orders to the gateway; kafka: OrderPlaced produced to
                          orders.v1 (default: http for fixed, kafka for max)
--processing M            at-least-once, exactly-once or both: KAFKADOG_PROCESSING of every
                          service (default at-least-once)
--no-limit                skip Kafka's own tools (EndToEndLatency, ProducerPerformance,
                          ConsumerPerformance) that measure the broker's limit
--no-replay               skip the replay: notification-service stopped, its group reset to
                          the earliest offsets, started again, timed until its lag is 0
--out DIR                 where results go (default bench/results)
-h, --help                this text
`;
