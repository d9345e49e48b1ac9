import { expect } from 'vitest';
import { getJson } from './orders.js';
import { waitFor } from '../../scripts/lib/wait.js';

export interface Check {
  name: string;
  passed: boolean | null;
  detail: string;
}

export interface RunView {
  runId: string;
  scenario: string;
  status: 'running' | 'passed' | 'failed';
  endedAt?: string;
  log: { at: string; text: string }[];
  orders: string[];
  manualSteps: string[];
  verdict: { passed: boolean | null; summary: string; checks: Check[] };
}

/** A run as text: its verdict, each check, and its log (for an assertion's message). */
export function explain(run: RunView): string {
  const checks = run.verdict.checks.map((c) => `  ${c.passed ? '✓' : '✗'} ${c.name}: ${c.detail}`);
  const log = run.log.map((l) => `  ${l.at} ${l.text}`);
  return [`${run.scenario}: ${run.verdict.summary}`, ...checks, 'log:', ...log].join('\n');
}

/** Starts a run of scenario `id` through the gateway's API and waits until it ends. */
export async function runScenario(
  gateway: string,
  id: string,
  timeoutMs: number,
): Promise<RunView> {
  const response = await fetch(`${gateway}/scenarios/${id}/runs`, { method: 'POST' });
  expect(response.status, await response.clone().text()).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  const run = await waitFor(
    async () => {
      const view = await getJson<RunView>(`${gateway}/scenarios/runs/${runId}`);
      return view.status !== 'running' && view;
    },
    { what: `the end of the ${id} run`, timeoutMs, intervalMs: 250 },
  );
  console.log(`[scenarios] ${explain(run)}`);
  return run;
}
