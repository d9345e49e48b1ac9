// kill -9 of a random service process every few seconds while orders come in over HTTP, each
// started again at once: every order the gateway accepted reaches exactly one outcome, and the
// stock balances. Killing the gateway refuses placements while it is down; a refused POST is no
// order, so it is counted apart, not as lost. Short in `npm test`, long with
// `npm run test:faults`; FAULTS_SEED=<seed> replays a run's kills.
import { describe, expect, it } from 'vitest';
import {
  failuresOf,
  faultLength,
  faultSeed,
  formatReport,
  runFaultLoad,
  serviceChaos,
  stockScaleFor,
} from '../../scripts/faults/index.js';
import { consoleLogger } from '../../scripts/lib/log.js';
import { useStack } from '../support/system.js';

const length = faultLength();
const plan =
  length === 'long'
    ? { ratePerSec: 300, durationMs: 60_000, everyMs: 4_000 }
    : { ratePerSec: 100, durationMs: 20_000, everyMs: 4_000 };
const seed = faultSeed();
const stockScale = stockScaleFor((plan.ratePerSec * plan.durationMs) / 1000);
const mode = process.env.KAFKADOG_PROCESSING ?? 'at-least-once';
// Two instances of the services that share a group's partitions (payment, saga) and of the one
// whose standby takes over a lease (inventory): a kill moves partitions or the lease.
const instances = { 'payment-service': 2, 'order-saga': 2, 'inventory-service': 2 } as const;
const stack = useStack({ instances, env: { INVENTORY_STOCK_SCALE: String(stockScale) } });

describe(`services killed at random during load (${length})`, () => {
  it('loses no accepted order, decides each once, and conserves the stock', async () => {
    const report = await runFaultLoad({
      stack: stack(),
      title: 'services killed at random during load',
      setup: `${stack().processes.length} processes (2 × payment, saga, inventory), kill -9 every ~${plan.everyMs / 1000} s, seed ${seed}, ${mode}`,
      ratePerSec: plan.ratePerSec,
      durationMs: plan.durationMs,
      stockScale,
      // The saga's timeout (30 s) bounds how long any order can wait for its replies.
      drainTimeoutMs: 60_000,
      lagAtRest: mode === 'exactly-once' ? 1 : 0,
      fault: serviceChaos({ stack: stack(), everyMs: plan.everyMs, seed }),
      log: consoleLogger,
    });
    console.log(formatReport(report));
    const kills = report.timeline.filter((event) => event.what.startsWith('kill -9'));
    expect(kills.length).toBeGreaterThanOrEqual(Math.floor(plan.durationMs / plan.everyMs) - 1);
    expect(failuresOf(report)).toEqual([]);
  }, 300_000);
});
