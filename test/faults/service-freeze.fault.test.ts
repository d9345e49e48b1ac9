// kill -STOP of a saga or payment instance for longer than its consumer group session, then
// kill -CONT, while orders come in over HTTP: the group hands the frozen member's partitions to the
// other instance, and the member wakes up holding records it fetched and decided under the old
// assignment. Nothing it writes then may lose an order or decide one twice. Short in `npm test`,
// long with `npm run test:faults`.
import { describe, expect, it } from 'vitest';
import {
  failuresOf,
  faultLength,
  formatReport,
  runFaultLoad,
  serviceFreeze,
  stockScaleFor,
} from '../../scripts/faults/index.js';
import { consoleLogger } from '../../scripts/lib/log.js';
import { useStack } from '../support/system.js';

const length = faultLength();
// Each freeze outlasts the 10 s session, so that the group rebalances without the member.
const plan =
  length === 'long'
    ? { ratePerSec: 300, durationMs: 60_000, everyMs: 5_000, freezeMs: 12_000 }
    : { ratePerSec: 100, durationMs: 25_000, everyMs: 4_000, freezeMs: 12_000 };
const stockScale = stockScaleFor((plan.ratePerSec * plan.durationMs) / 1000);
const mode = process.env.KAFKADOG_PROCESSING ?? 'at-least-once';
const instances = { 'payment-service': 2, 'order-saga': 2 } as const;
const stack = useStack({ instances, env: { INVENTORY_STOCK_SCALE: String(stockScale) } });
const victims = ['order-saga#2', 'payment-service#2', 'order-saga', 'payment-service'] as const;

describe(`services frozen past their session during load (${length})`, () => {
  it('loses no accepted order, decides each once, and conserves the stock', async () => {
    const report = await runFaultLoad({
      stack: stack(),
      title: 'services frozen during load',
      setup: `${stack().processes.length} processes (2 × payment, saga), kill -STOP for ${plan.freezeMs / 1000} s, then kill -CONT, ${mode}`,
      ratePerSec: plan.ratePerSec,
      durationMs: plan.durationMs,
      stockScale,
      drainTimeoutMs: 60_000,
      lagAtRest: mode === 'exactly-once' ? 1 : 0,
      fault: serviceFreeze({ stack: stack(), victims, ...plan }),
      log: consoleLogger,
    });
    console.log(formatReport(report));
    const thawed = report.timeline.filter((event) => event.what.startsWith('kill -CONT'));
    expect(thawed.length).toBeGreaterThanOrEqual(1);
    expect(failuresOf(report)).toEqual([]);
  }, 300_000);
});
