// `npm run dev` runs each service as npm start would, under node --watch: a change to a file the
// service loaded (tsc -b --watch rewrites its dist/ when a source changes) starts a new process
// of it, which comes up healthy. Here on a copy of payment-service's build, so that the test
// changes no file of the project.
import { appendFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/stack.js';
import { REPO_ROOT, serviceDir } from '../../scripts/lib/services.js';
import { Supervisor, waitHealthy } from '../../scripts/lib/supervisor.js';
import { waitFor } from '../../scripts/lib/wait.js';
import { serviceSpec } from '../../scripts/start/plan.js';
import { useStack } from '../support/system.js';

// Only the broker and the topics: the service below is the one under test.
const stack = useStack({ services: [] });
const supervisor = new Supervisor({ maxLines: 2000 });
let copy: string | undefined;

afterAll(async () => {
  await supervisor.stopAll(10_000);
  if (copy) await rm(copy, { recursive: true, force: true });
});

/** When the service's process started (prom-client's process_start_time_seconds). */
async function startedAt(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const match = /^process_start_time_seconds(?:{[^}]*})? (\d+)/m.exec(metrics);
  if (!match?.[1]) throw new Error('no process_start_time_seconds in /metrics');
  return Number(match[1]);
}

describe('npm run dev', () => {
  it('restarts a service whose built code changed, and it is healthy again', async () => {
    const { brokers } = stack();
    // Inside the repository, so that the copy resolves the workspace's packages as dist/ does.
    const cache = path.join(REPO_ROOT, 'node_modules', '.cache');
    await mkdir(cache, { recursive: true });
    copy = await mkdtemp(path.join(cache, 'kafkadog-dev-test-'));
    await cp(path.join(serviceDir('payment-service'), 'dist'), path.join(copy, 'dist'), {
      recursive: true,
    });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const spec = serviceSpec('payment-service', 'payment-service', port, brokers, {}, 'dev');
    const child = supervisor.start({ ...spec, cwd: copy });
    await waitHealthy(child, `${url}/health`, { timeoutMs: 45_000 });
    const first = await startedAt(url);

    const changedAt = Date.now();
    await appendFile(path.join(copy, 'dist', 'main.js'), '\n// changed\n');
    await waitFor(() => child.lines.some((line) => line.includes("Restarting 'dist/main.js'")), {
      what: 'node --watch to restart the service',
      timeoutMs: 10_000,
    });
    await waitFor(async () => (await startedAt(url)) > first, {
      what: 'a new process of the service to answer',
      timeoutMs: 45_000,
      intervalMs: 250,
    });
    await waitHealthy(child, `${url}/health`, { timeoutMs: 45_000 });
    console.log(
      `[dev] payment-service healthy again ${Date.now() - changedAt} ms after the change`,
    );
    // The watcher itself never stopped: the same supervised process runs on.
    expect(child.exit).toBeUndefined();
  }, 120_000);
});
