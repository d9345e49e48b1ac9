// `npm run bench` end to end, briefly: it starts its own stack, places orders both ways, and
// writes a result in DESIGN.md's format with nothing lost and nothing duplicated.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/lib/services.js';
import { waitFor } from '../../scripts/lib/wait.js';
import { isAlive } from '../../scripts/kafka/processes.js';
import type { BenchResult } from '../../scripts/bench/result.js';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
let outDir: string | undefined;

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function bench(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, '--conditions=source', 'scripts/bench.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 150_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('npm run bench', () => {
  // In exactly-once mode: the other system tests run the default, at-least-once; this one runs
  // the whole stack with transactions, read_committed readers and a replay.
  it('runs both loads and a replay in exactly-once mode and writes latest.json: every order has one outcome', async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'kafkadog-bench-'));
    const { code, output } = await bench([
      ...[
        '--rate',
        '20',
        '--duration',
        '3',
        '--warm-up',
        '2',
        '--max-duration',
        '3',
        '--window',
        '50',
      ],
      ...['--processing', 'exactly-once', '--no-limit', '--out', outDir],
    ]);
    expect(code, output).toBe(0);

    const result = JSON.parse(
      await readFile(path.join(outDir, 'latest.json'), 'utf8'),
    ) as BenchResult;
    expect(result.mode).toBe('exactly-once');
    expect(result.machine.kafka).toMatch(/^4\./);
    expect(result.limit).toBeNull();
    // A fixed --warm-up: its length, and no word on the JIT.
    expect(result.warmUp?.jitSettled).toBeNull();
    expect(result.warmUp?.seconds).toBeGreaterThanOrEqual(1);
    expect(result.warmUp?.seconds).toBeLessThanOrEqual(4);
    const fixed = result.fixedRate!;
    const max = result.maxThroughput!;
    expect(fixed).toMatchObject({ via: 'http', ratePerSec: 20, durationSec: 3, failed: 0 });
    expect(max).toMatchObject({ via: 'kafka', durationSec: 3, window: 50, failed: 0 });
    for (const load of [fixed, max]) {
      expect(load.placed).toBeGreaterThan(0);
      expect(load.lost).toBe(0);
      expect(load.duplicates).toBe(0);
      // The bench's stock scale leaves nothing to cancel for want of stock.
      expect(load.completed).toBe(load.placed);
      expect(load.p50Ms!).toBeGreaterThan(0);
      expect(load.p50Ms!).toBeLessThanOrEqual(load.p95Ms!);
      expect(load.p95Ms!).toBeLessThanOrEqual(load.p99Ms!);
      expect(load.p99Ms!).toBeLessThanOrEqual(load.maxMs!);
    }
    expect(fixed.placed).toBe(60);
    expect(fixed.httpP50Ms!).toBeLessThanOrEqual(fixed.httpP99Ms!);
    expect(max.ordersPerSec).toBeGreaterThanOrEqual(0);
    expect(max.lagDrainMs).not.toBeNull();
    for (const name of ['api-gateway', 'order-saga', 'inventory-service', 'kafka']) {
      expect(result.rssMb[name], name).toBeGreaterThan(20);
      expect(result.cpuMsPerOrder[name], name).toBeGreaterThan(0);
    }
    expect(result.lag.length).toBeGreaterThan(3);
    // notification-service read every outcome again.
    expect(result.replay!.group).toBe('notification-service');
    expect(result.replay!.records).toBeGreaterThanOrEqual(fixed.completed + max.completed);
    expect(result.replay!.recordsPerSec).toBeGreaterThan(0);
    expect(await readFile(path.join(outDir, 'latest.svg'), 'utf8')).toMatch(/^<svg/);
  });

  // Linux: the broker is found among the bench's descendants in /proc.
  it.runIf(process.platform === 'linux')(
    'stops the broker it started when Ctrl+C comes while the stack is starting',
    async () => {
      const child = spawn(
        process.execPath,
        [tsx, '--conditions=source', 'scripts/bench.ts', '--no-limit', '--warm-up', '2'],
        { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: 'ignore' },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let broker: number | undefined;
      try {
        broker = await waitFor(() => descendantBroker(child.pid!), {
          what: 'the bench to start its broker',
          timeoutMs: 60_000,
          intervalMs: 100,
        });
        child.kill('SIGINT');
        expect(await exited).toBe(130);
        expect(await isAlive(broker), `broker ${broker} left running`).toBe(false);
      } finally {
        child.kill('SIGKILL');
        if (broker !== undefined && (await isAlive(broker))) process.kill(broker, 'SIGKILL');
      }
    },
    120_000,
  );
});

/** The pid of a Kafka broker JVM among the descendants of `root`, if one runs yet. */
async function descendantBroker(root: number): Promise<number | undefined> {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      commands.set(pid, await readFile(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      // Gone meanwhile.
    }
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) {
      if (at === root) return true;
    }
    return false;
  };
  return [...commands].find(([pid, cmd]) => cmd.includes('kafka.Kafka') && descends(pid))?.[0];
}
