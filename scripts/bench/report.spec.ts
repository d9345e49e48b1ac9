import { describe, expect, it } from 'vitest';
import { formatReport, ratiosOf, table } from './report.js';
import type { ModeResult } from './result.js';

const result: ModeResult = {
  startedAt: '2026-01-01T00:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'cpu', memoryGb: 8, os: 'Linux', node: '24', kafka: '4.2.2' },
  mode: 'at-least-once',
  warmUp: { seconds: 84, jitSettled: true },
  fixedRate: {
    via: 'http',
    ratePerSec: 100,
    durationSec: 30,
    placed: 3000,
    failed: 0,
    completed: 2990,
    cancelled: 10,
    lost: 0,
    duplicates: 0,
    p50Ms: 40,
    p95Ms: 80,
    p99Ms: 120,
    maxMs: 300,
    completedPerSec: 99.7,
    httpP50Ms: 3.2,
    httpP99Ms: 15,
    machineCpu: { busyPercent: 88.5, stealPercent: 2 },
    hops: {
      payment: { waited: { p50Ms: 3, p99Ms: 9 }, processed: { p50Ms: 2, p99Ms: 5 } },
      inventory: { waited: { p50Ms: 3, p99Ms: 9 }, processed: { p50Ms: 2, p99Ms: 5 } },
      saga: { waited: { p50Ms: 4, p99Ms: 12 }, processed: { p50Ms: 1, p99Ms: 4 } },
    },
  },
  maxThroughput: null,
  limit: {
    hopP50Ms: 2,
    hopP99Ms: 12,
    producerRecordsPerSec: 40_000,
    consumerRecordsPerSec: 80_000,
  },
  replay: {
    group: 'notification-service',
    records: 100_000,
    seconds: 5,
    recordsPerSec: 20_000,
    secondsWithStart: 7.5,
  },
  ratios: {
    e2eP50OverHopP50: 20,
    e2eP99OverHopP99: 10,
    ordersOverProducerRecords: null,
    ordersOverConsumerRecords: null,
  },
  rssMb: { 'api-gateway': 190.4, kafka: 480 },
  rssAfterMb: { placed: 100_000, mb: { 'api-gateway': 140.2, kafka: 470 } },
  cpuMsPerOrder: { 'api-gateway': 7.25, kafka: 50 },
  lag: [],
};

describe('the bench report', () => {
  it('aligns a table: labels left, figures right, a dash for none', () => {
    expect(
      table([
        ['', 'a', 'bb'],
        ['x', 1, null],
        ['long label', 2.5, 'yes'],
      ]),
    ).toBe(['               a   bb', 'x              1    –', 'long label  2.50  yes'].join('\n'));
  });

  it('puts our figures next to the tools: e2e over one hop, orders/s over records/s', () => {
    const ratios = ratiosOf(
      { fixedRate: result.fixedRate, maxThroughput: { ordersPerSec: 400 } as never },
      result.limit,
    );
    expect(ratios).toEqual({
      e2eP50OverHopP50: 20,
      e2eP99OverHopP99: 10,
      ordersOverProducerRecords: 0.01,
      ordersOverConsumerRecords: 0.005,
    });
    expect(
      ratiosOf({ fixedRate: result.fixedRate, maxThroughput: null }, null).e2eP50OverHopP50,
    ).toBeNull();
  });

  it('reports outcomes, percentiles, the limit and every process', () => {
    const text = formatReport(result);
    expect(text).toContain('at-least-once, Kafka 4.2.2');
    expect(text).toContain(
      "warm-up before measuring: 84 s at the fixed rate, until the broker's JIT settled",
    );
    expect(text).toMatch(/completed \/ cancelled\s+2990 \/ 10/);
    expect(text).toMatch(/e2e p50 \/ p95 \/ p99 \/ max ms\s+40 \/ 80 \/ 120 \/ 300/);
    expect(text).toMatch(/HTTP p50 \/ p99 ms\s+3.20 \/ 15/);
    expect(text).toMatch(/machine CPU busy \/ stolen %\s+88.5 \/ 2\s/);
    expect(text).toMatch(/our e2e p50 \/ one hop p50\s+×20/);
    expect(text).toMatch(/RSS MB after 100000 orders/);
    expect(text).toMatch(/api-gateway\s+190\s+140\s+7.25/);
    expect(text).toMatch(/saga\s+4 \/ 12\s+1 \/ 4/);
    expect(text).toMatch(
      /replay of notification-service .*100000 records in 5 s: 20000 records\/s/,
    );
  });

  it('says when the warm-up ended before the JIT settled, and nothing without a warm-up', () => {
    expect(formatReport({ ...result, warmUp: { seconds: 180, jitSettled: false } })).toContain(
      "warm-up before measuring: 180 s at the fixed rate; the broker's JIT had not settled",
    );
    expect(formatReport({ ...result, warmUp: { seconds: 20, jitSettled: null } })).toMatch(
      /warm-up before measuring: 20 s at the fixed rate\n/,
    );
    expect(formatReport({ ...result, warmUp: null })).not.toContain('warm-up');
  });
});
