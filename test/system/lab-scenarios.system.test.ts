// The two scenarios that need more than the gateway can do alone, run with the lab of the process
// that runs the stack (here the test's stack, as `npm start` serves it): one click starts a second
// payment-service and stops it again, or stops Kafka and starts it again, and each verdict is read
// from what Kafka, the topics and the services showed.
import { describe, expect, it } from 'vitest';
import { getJson } from '../support/orders.js';
import { explain, runScenario } from '../support/scenarios.js';
import { useStack } from '../support/system.js';

const WAIT_MS = 30_000;
const RUN_MS = 150_000;

const stack = useStack({
  lab: true,
  env: { SCENARIO_WAIT_MS: String(WAIT_MS), SCENARIO_SETTLE_MS: '500' },
});

describe('scenarios with the lab', () => {
  it('need no manual steps', async () => {
    const { scenarios } = await getJson<{ scenarios: { id: string; manualSteps: string[] }[] }>(
      `${stack().url('api-gateway')}/scenarios`,
    );
    for (const id of ['scaling', 'broker-failure']) {
      expect(scenarios.find((s) => s.id === id)?.manualSteps).toEqual([]);
    }
  });

  it('scaling passes: a second payment-service joins and leaves, partitions move both ways', async () => {
    const run = await runScenario(stack().url('api-gateway'), 'scaling', RUN_MS);
    expect(run.status, explain(run)).toBe('passed');
    expect(run.verdict.summary).toMatch(
      /^payment-service: 1 → 2 members, partitions? .+ moved to payment-service#2; 2 → 1 after it left; (\d+) orders, \1 outcomes$/,
    );
    expect(run.manualSteps).toEqual([]);
    // The instance the run started is gone with it.
    expect(stack().isRunning('payment-service#2')).toBe(false);
  });

  it('broker-failure passes: down, an order refused, nothing written, back; the runner goes on', async () => {
    const gateway = stack().url('api-gateway');
    const run = await runScenario(gateway, 'broker-failure', RUN_MS);
    expect(run.status, explain(run)).toBe('passed');
    const refusal = run.verdict.checks.find((c) => c.name.startsWith('an order placed during'));
    expect(refusal?.detail).toMatch(/^503 kafka_unavailable: /);
    // The gateway's feed followed the topics through the outage: a run after it is judged too.
    const after = await runScenario(gateway, 'success', RUN_MS);
    expect(after.status, explain(after)).toBe('passed');
  });
});
