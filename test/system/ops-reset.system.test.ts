// `npm run reset` next to a running `npm start` with orders in Kafka: it stops npm start and its
// services by their recorded pids, stops, wipes and restarts the broker, and recreates every registry
// topic empty with its partitions; `npm start` then runs again on the fresh topics.
import { allTopics, catalog } from '@kafkadog/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCluster,
  findFreeBasePort,
  HOST,
  silentLogger,
  stopCluster,
} from '../../scripts/kafka/index.js';
import { isAlive } from '../../scripts/kafka/processes.js';
import { SERVICES, portVariable } from '../../scripts/lib/services.js';
import { freePort } from '../../scripts/lib/stack.js';
import { waitFor } from '../../scripts/lib/wait.js';
import { readRunfile } from '../../scripts/start/runfile.js';
import { withAdmin } from '../support/groups.js';
import { getProducts } from '../support/orders.js';
import { killGroup, runScript, startScript, type Background } from '../support/scripts.js';

let dataDir = '';
let basePort = 0;
let env: NodeJS.ProcessEnv = {};
let gateway = '';
const running: Background[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kafkadog-reset-'));
  basePort = await findFreeBasePort({ from: 40_000 + 10 * Math.floor(Math.random() * 500) });
  const ports: Record<string, string> = {};
  for (const service of SERVICES) ports[portVariable(service.name)] = String(await freePort());
  gateway = `http://${HOST}:${ports[portVariable('api-gateway')]}`;
  env = {
    ...ports,
    KAFKA_BROKERS: '',
    KAFKADOG_DATA_DIR: dataDir,
    KAFKADOG_KAFKA_PORT: String(basePort),
    KAFKADOG_DASHBOARD: '0',
    KAFKADOG_GATEWAY_URL: gateway,
  };
  // Started as `npm run kafka:start` would (npm start then uses it): reset stops it as
  // `npm run kafka:stop` does. Here rather than in the test, whose time it would take half of.
  await ensureCluster({ dataDir, basePort, logger: silentLogger, env: { ...process.env, ...env } });
});

afterAll(async () => {
  for (const start of running) killGroup(start.child);
  await stopCluster({ dataDir, basePort, wipe: true, logger: silentLogger, env }).catch(
    () => undefined,
  );
  await rm(dataDir, { recursive: true, force: true });
});

async function npmStart(): Promise<Background> {
  const start = startScript('start', env);
  running.push(start);
  await waitFor(
    () => {
      if (start.child.exitCode !== null) throw new Error(`npm start exited:\n${start.output()}`);
      return start.output().includes('kafkadog is running');
    },
    { what: 'npm start to report its services healthy', timeoutMs: 150_000, intervalMs: 200 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${start.output().slice(-3000)}`);
  });
  return start;
}

const names = allTopics.map((topic) => topic.name);
const brokers = () => [`${HOST}:${basePort}`];

describe('npm run reset', () => {
  it('stops npm start, leaves the registry topics empty, and npm start runs again', async () => {
    const first = await npmStart();
    const seed = await runScript('seed', ['--orders', '5'], { env });
    expect(seed.code, seed.output).toBe(0);
    const runfile = await readRunfile(dataDir);
    expect(runfile?.services.map((s) => s.name)).toEqual(SERVICES.map((s) => s.name));
    const idsBefore = await withAdmin(brokers(), async (admin) =>
      (await admin.describeTopics(names)).map((t) => t.id),
    );

    const reset = await runScript('reset', [], { env, timeoutMs: 150_000 });
    expect(reset.code, reset.output).toBe(0);
    expect(reset.output).toContain(`Stopping npm start (pid ${runfile?.pid})`);
    expect(await first.exited).toBe(0);
    for (const service of runfile?.services ?? []) {
      expect(await isAlive(service.pid), `${service.name} stopped`).toBe(false);
    }

    await withAdmin(brokers(), async (admin) => {
      const described = await admin.describeTopics(names);
      expect(Object.fromEntries(described.map((t) => [t.name, t.partitions.length]))).toEqual(
        Object.fromEntries(allTopics.map((t) => [t.name, t.partitions])),
      );
      // New topics, not the old ones kept: every id differs.
      expect(described.map((t) => t.id).filter((id) => idsBefore.includes(id))).toEqual([]);
      const ends = await admin.groupOffsets('test.log-ends', names);
      expect(ends.filter((row) => row.logEnd !== '0')).toEqual([]);
      expect(await admin.listGroups()).toEqual([]);
    });

    const second = await npmStart();
    expect((await fetch(`${gateway}/health`)).status).toBe(200);
    // The inventory starts over from the initial stock.
    expect(Object.fromEntries(await getProducts(gateway))).toEqual(
      Object.fromEntries(catalog.map((p) => [p.id, p.initialStock])),
    );
    // As reset does it: SIGTERM to npm start's own process, which then stops what it started.
    const pid = (await readRunfile(dataDir))?.pid;
    expect(pid).toBeDefined();
    process.kill(pid ?? 0, 'SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await readRunfile(dataDir)).toBeUndefined();
  });
});
