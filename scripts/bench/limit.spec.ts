import { describe, expect, it } from 'vitest';
import {
  parseConsumerPerformance,
  parseEndToEndLatency,
  parseProducerPerformance,
} from './limit.js';

// Output of the 4.2.2 tools, as run by the bench.
describe("reading Kafka's tools", () => {
  it('EndToEndLatency: the 50th and 99th percentiles', () => {
    const output =
      '0\t188.62\n1000\t2.52\nAvg latency: 5.4006 ms\nPercentiles: 50th = 3, 99th = 18, 99.9th = 188\n';
    expect(parseEndToEndLatency(output)).toEqual({ p50Ms: 3, p99Ms: 18 });
  });

  it('ProducerPerformance: the records/s of the final summary, not of a progress line', () => {
    const output = [
      '133115 records sent, 26623.0 records/sec (13.00 MB/sec), 1444.0 ms avg latency, 1853.0 ms max latency.',
      '200000 records sent, 33743.883921 records/sec (16.48 MB/sec), 1372.92 ms avg latency, 1853.00 ms max latency, 1464 ms 50th, 1740 ms 95th, 1817 ms 99th, 1851 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerformance(output)).toBeCloseTo(33743.88, 1);
  });

  it('ConsumerPerformance: fetch.nMsg.sec from its CSV', () => {
    const output = [
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-12-01 23:40:57:461, 2026-12-01 23:40:58:811, 97.7173, 72.3832, 200125, 148240.7407, 489, 861, 113.4928, 232433.2172',
    ].join('\n');
    expect(parseConsumerPerformance(output)).toBeCloseTo(232433.2, 1);
  });

  it('fails with the output when a tool printed no result', () => {
    expect(() => parseEndToEndLatency('Exception in thread "main"')).toThrow(/EndToEndLatency/);
    expect(() => parseConsumerPerformance('WARN nothing')).toThrow(/ConsumerPerformance/);
  });
});
