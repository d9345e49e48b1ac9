// A Kafka node killed with kill -9 while orders come in over HTTP, on a 3-node cluster where
// every topic has 3 replicas and needs 2 in sync: the cluster goes on with two nodes, and no
// order is lost, decided twice or leaves the stock unbalanced. Short in `npm test`, long with
// `npm run test:faults`.
import { describe, expect, it } from 'vitest';
import {
  brokerKill,
  failuresOf,
  faultLength,
  formatReport,
  replicationOf,
  runFaultLoad,
  stockScaleFor,
} from '../../scripts/faults/index.js';
import { consoleLogger } from '../../scripts/lib/log.js';
import { useStack } from '../support/system.js';

const length = faultLength();
const plan =
  length === 'long'
    ? // The node comes back at two thirds, under load: it catches up and rejoins every ISR.
      { ratePerSec: 300, durationMs: 60_000, killAtMs: 20_000, restartAtMs: 40_000 }
    : { ratePerSec: 50, durationMs: 20_000, killAtMs: 6_000, restartAtMs: undefined };
const stockScale = stockScaleFor((plan.ratePerSec * plan.durationMs) / 1000);
const mode = process.env.KAFKADOG_PROCESSING ?? 'at-least-once';
const stack = useStack({ nodes: 3, env: { INVENTORY_STOCK_SCALE: String(stockScale) } });

describe(`a Kafka node killed during load (${length})`, () => {
  it('runs on a cluster where every topic has 3 replicas and needs 2 in sync', async () => {
    const rows = await replicationOf(stack().brokers);
    expect(rows.map((row) => row.topic)).toEqual(
      expect.arrayContaining(['orders.v1', '__consumer_offsets', '__transaction_state']),
    );
    expect(
      rows.filter((row) => row.replicationFactor !== 3 || row.minInsyncReplicas !== 2),
    ).toEqual([]);
  });

  it('loses no order, decides each once, and conserves the stock', async () => {
    const report = await runFaultLoad({
      stack: stack(),
      title: 'Kafka node killed during load',
      setup: `3 Kafka nodes, RF 3, min.insync.replicas 2, ${mode}`,
      ratePerSec: plan.ratePerSec,
      durationMs: plan.durationMs,
      stockScale,
      // The saga's timeout (30 s) bounds how long any order can wait for its replies.
      drainTimeoutMs: 60_000,
      lagAtRest: mode === 'exactly-once' ? 1 : 0,
      fault: brokerKill({
        stack: stack(),
        atMs: plan.killAtMs,
        ...(plan.restartAtMs === undefined ? {} : { restartAtMs: plan.restartAtMs }),
      }),
      log: consoleLogger,
    });
    console.log(formatReport(report));
    expect(report.timeline.some((event) => event.what.startsWith('kill -9 Kafka node'))).toBe(true);
    expect(failuresOf(report)).toEqual([]);
  }, 300_000);
});
