// The scenarios of GET /scenarios, run from the gateway against the real services: each verdict
// is read from the topics, so it passes when the system does what the scenario teaches, and
// fails when the system is broken (here: the saga stopped). Scaling and broker failure need the
// lab of the process that runs the stack: lab-scenarios.system.test.ts; without one (here) they
// list the steps a learner takes by hand.
import { describe, expect, it } from 'vitest';
import { getJson } from '../support/orders.js';
import { explain, runScenario as run, type RunView } from '../support/scenarios.js';
import { useStack } from '../support/system.js';
import { waitFor } from '../../scripts/lib/wait.js';

const WAIT_MS = 20_000;

const stack = useStack({
  env: {
    // Short waits: 4 attempts 300 ms, 600 ms, 1.2 s apart, then the DLQ; the saga gives up at 12 s.
    INVENTORY_RETRY_BASE_MS: '300',
    INVENTORY_RETRY_FACTOR: '2',
    INVENTORY_RETRY_MAX_ATTEMPTS: '4',
    SAGA_TIMEOUT_MS: '12000',
    SCENARIO_WAIT_MS: String(WAIT_MS),
    SCENARIO_SETTLE_MS: '500',
  },
});

function runScenario(gateway: string, id: string): Promise<RunView> {
  return run(gateway, id, 2 * WAIT_MS + 30_000);
}

describe('scenarios', () => {
  it('lists the seven scenarios with their concept and fault switches', async () => {
    const gateway = stack().url('api-gateway');
    const { scenarios } = await getJson<{
      scenarios: { id: string; concept: string; faults: string[]; manualSteps: string[] }[];
    }>(`${gateway}/scenarios`);
    expect(scenarios.map((s) => s.id).sort()).toEqual(
      [
        'broker-failure',
        'compensation',
        'failure-recovery',
        'poison-pill',
        'replay',
        'scaling',
        'success',
      ].sort(),
    );
    expect(scenarios.find((s) => s.id === 'failure-recovery')?.faults).toEqual([
      'inventoryFailureRate',
    ]);
    expect(scenarios.find((s) => s.id === 'scaling')?.manualSteps.length).toBeGreaterThan(0);
    expect((await fetch(`${gateway}/scenarios/nope/runs`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${gateway}/scenarios/success/runs/latest`)).status).toBe(404);
    expect((await fetch(`${gateway}/scenarios/runs/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('success passes, judged from the four topics; a second start while it runs is 409', async () => {
    const gateway = stack().url('api-gateway');
    const started = await fetch(`${gateway}/scenarios/success/runs`, { method: 'POST' });
    expect(started.status).toBe(202);
    const again = await fetch(`${gateway}/scenarios/success/runs`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe('run_in_progress');
    const { runId } = (await started.json()) as { runId: string };
    const run = await waitFor(
      async () => {
        const view = await getJson<RunView>(`${gateway}/scenarios/success/runs/latest`);
        return view.status !== 'running' && view;
      },
      { what: 'the end of the success run', timeoutMs: WAIT_MS + 10_000, intervalMs: 250 },
    );
    expect(run.runId).toBe(runId);
    expect(run.status, explain(run)).toBe('passed');
    expect(run.orders).toHaveLength(1);
    const details = run.verdict.checks.map((c) => c.detail).join('\n');
    for (const topic of ['orders.v1', 'payments.v1', 'inventory.v1', 'orders.outcome.v1']) {
      expect(details).toMatch(new RegExp(`${topic.replace('.', '\\.')}\\[\\d\\]@\\d+`));
    }
  });

  it('compensation passes: InventoryReleased and PaymentVoided undo the step that succeeded', async () => {
    const run = await runScenario(stack().url('api-gateway'), 'compensation');
    expect(run.status, explain(run)).toBe('passed');
    expect(run.verdict.summary).toContain('InventoryReleased');
    expect(run.verdict.summary).toContain('PaymentVoided');
  });

  it('poison-pill passes: every group that reads orders.v1 dead-letters it and moves on', async () => {
    const run = await runScenario(stack().url('api-gateway'), 'poison-pill');
    expect(run.status, explain(run)).toBe('passed');
    const names = run.verdict.checks.map((c) => c.name);
    for (const group of ['payment-service', 'inventory-service', 'order-saga']) {
      expect(names.some((name) => name.startsWith(`${group}: one dead letter`))).toBe(true);
    }
  });

  it('failure-recovery passes: growing gaps, one dead letter, redriven, completed; switches restored', async () => {
    const gateway = stack().url('api-gateway');
    const run = await runScenario(gateway, 'failure-recovery');
    expect(run.status, explain(run)).toBe('passed');
    expect(run.verdict.summary).toMatch(
      /^3 retries on orders\.retry\.v1, gaps \d+\.\d s, \d+\.\d s, \d+\.\d s; 1 dead letter; redriven; order completed/,
    );
    const faults = await getJson<{ inventoryFailureRate: number }>(`${gateway}/faults`);
    expect(faults.inventoryFailureRate).toBe(0);
    // Inventory follows the switches beside its group: the order waits until it applies rate 1,
    // and the redrive until it applies 0. Otherwise either can be decided at the old rate.
    const steps = run.log.map((entry) => entry.text.replace(/@\d+/, '@N'));
    const applied = 'inventory-service applies the fault setting at api-gateway.faults.v1@N';
    expect(steps.indexOf(applied)).toBeGreaterThan(-1);
    expect(steps.indexOf(applied)).toBeLessThan(steps.findIndex((s) => s.startsWith('placed')));
    expect(steps.lastIndexOf(applied)).toBeLessThan(
      steps.findIndex((s) => s.startsWith('redriven')),
    );
  });

  it('replay passes: the notification group reads every outcome again and suppresses each', async () => {
    const gateway = stack().url('api-gateway');
    const run = await runScenario(gateway, 'replay');
    expect(run.status, explain(run)).toBe('passed');
    expect(run.verdict.summary).toMatch(/^\d+ outcomes replayed by notification-service/);
    // Resumed when the run ended: the service's consumers run again.
    const health = await getJson<{ checks: Record<string, string> }>(
      `${stack().url('notification-service')}/health`,
    );
    expect(health.checks.consumers).toBe('up');
  });

  it('fails, naming the missing outcome, when the saga is stopped', async () => {
    const { url, stopService } = stack();
    await stopService('order-saga');
    const run = await runScenario(url('api-gateway'), 'success');
    expect(run.status).toBe('failed');
    expect(run.verdict.passed).toBe(false);
    const failed = run.verdict.checks.filter((c) => c.passed === false).map((c) => c.name);
    expect(failed).toEqual(['exactly one OrderCompleted on orders.outcome.v1']);
  });
});
