import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args.js';

describe('bench arguments', () => {
  it('defaults to both loads: 100 orders/s for 30 s over HTTP, then 60 s produced to Kafka', () => {
    const args = parseBenchArgs([]);
    expect(args).toMatchObject({
      help: false,
      loads: ['fixed', 'max'],
      ratePerSec: 100,
      durationSec: 30,
      warmUp: 'auto',
      maxDurationSec: 60,
      window: 500,
      via: { fixed: 'http', max: 'kafka' },
      processing: ['at-least-once'],
      limit: true,
    });
    expect(args.outDir).toMatch(/bench[/\\]results$/);
  });

  it('reads every option; --via applies to both loads', () => {
    const args = parseBenchArgs([
      '--mode=fixed',
      '--rate',
      '20',
      '--duration',
      '5',
      '--via',
      'kafka',
      '--processing',
      'both',
      '--no-limit',
      '--window',
      '50',
      '--warm-up',
      '0',
    ]);
    expect(parseBenchArgs(['--warm-up', '45']).warmUp).toBe(45);
    expect(args).toMatchObject({
      loads: ['fixed'],
      ratePerSec: 20,
      durationSec: 5,
      warmUp: 0,
      window: 50,
      via: { fixed: 'kafka', max: 'kafka' },
      processing: ['at-least-once', 'exactly-once'],
      limit: false,
    });
  });

  it('refuses a bad value, naming the option', () => {
    expect(() => parseBenchArgs(['--mode', 'fast'])).toThrow(/--mode must be one of/);
    expect(() => parseBenchArgs(['--rate', '0'])).toThrow(/--rate needs a number > 0/);
    expect(() => parseBenchArgs(['--window', '1.5'])).toThrow(/--window/);
    expect(() => parseBenchArgs(['--warm-up=-1'])).toThrow(/--warm-up needs "auto" or a number/);
    expect(() => parseBenchArgs(['--warm-up', 'soon'])).toThrow(/--warm-up needs "auto"/);
    expect(() => parseBenchArgs(['--via', 'grpc'])).toThrow(/--via/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(/--help/);
  });
});
