import { allTopics } from '@kafkadog/contracts';
import { createAdmin, readToEnd, silentLogger, type ReadRecord } from '@kafkadog/kafka';
import { Consumer } from '@platformatic/kafka';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { testBrokers } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const GATEWAY_MAIN = join(REPO_ROOT, 'backend/apps/api-gateway/dist/main.js');
const BUILD_LOCK = join(
  tmpdir(),
  `kafkadog-api-gateway-build-${REPO_ROOT.replaceAll('/', '_')}.lock`,
);
/** A lock older than this was left by a killed test run. */
const STALE_LOCK_MS = 180_000;

async function takeLock(): Promise<boolean> {
  try {
    await mkdir(BUILD_LOCK);
    return true;
  } catch {
    const since = await stat(BUILD_LOCK).then(
      (lock) => Date.now() - lock.mtimeMs,
      () => 0,
    );
    if (since > STALE_LOCK_MS) await rm(BUILD_LOCK, { recursive: true, force: true });
    return false;
  }
}

/**
 * Compiles the gateway (and the libraries it references) to dist/. Only this project, not the
 * whole tsconfig.build.json: the gateway's tests need nothing else. Test files build under a lock
 * so that two of them never write the same outputs at once.
 */
export async function buildGateway(): Promise<void> {
  await waitFor(takeLock, {
    timeoutMs: STALE_LOCK_MS + 30_000,
    intervalMs: 200,
    what: `the build lock ${BUILD_LOCK}`,
  });
  try {
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    await promisify(execFile)(
      process.execPath,
      [tsc, '-b', 'backend/apps/api-gateway/tsconfig.json'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true });
  }
}

export async function ensureTopics(brokers: string[]): Promise<void> {
  const admin = createAdmin({ brokers, logger: silentLogger });
  try {
    await admin.ensureTopics(allTopics);
  } finally {
    await admin.close();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  /** What the process printed so far. */
  output(): string;
  /** Kills the process (SIGKILL by default: nothing gets to save anything) and waits for it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `node backend/apps/api-gateway/dist/main.js` and waits until GET /health is 200. */
export async function startGateway(
  brokers: string[],
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [GATEWAY_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...env,
      KAFKA_BROKERS: brokers.join(','),
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const gateway: GatewayProcess = {
    url,
    pid: child.pid!,
    output: () => output,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the gateway exited:\n${output}`);
        const response = await fetch(`${url}/health`);
        return response.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `the gateway's health at ${url}` },
    );
  } catch (error) {
    await gateway.stop();
    throw new Error(`gateway did not become healthy:\n${output}`, { cause: error });
  }
  return gateway;
}

export interface HttpResult<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** An HTTP call; a JSON body is parsed, anything else left as text. */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<HttpResult<T>> {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string>) },
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    body: (isJson ? JSON.parse(text) : text) as T,
  };
}

export function validOrder(email = `buyer-${randomUUID()}@example.com`) {
  return {
    customerEmail: email,
    items: [{ productId: 'sku-mouse', quantity: 1 }],
    cardNumber: '4242424242424242',
  };
}

/** The offset the next record of each partition of `topic` will get. */
export async function endOffsets(brokers: string[], topic: string): Promise<bigint[]> {
  const consumer = new Consumer({
    clientId: 'api-gateway-test',
    groupId: `test.offsets.${randomUUID()}`,
    bootstrapBrokers: brokers,
  });
  try {
    return (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
  } finally {
    await consumer.close(true);
  }
}

/** Every record of `topic` from `from` (per partition; default: the beginning) to its end now. */
export async function readTopic(
  brokers: string[],
  topic: string,
  from: readonly bigint[] = [],
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  await readToEnd({
    brokers,
    topics: [topic],
    onRecord: (record) => {
      if (BigInt(record.offset) >= (from[record.partition] ?? 0n)) records.push(record);
    },
  });
  return records;
}

/** An event as a test looks into it, without trusting it to be valid. */
export interface LooseEvent {
  readonly type?: string;
  readonly orderId?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The records in `records` whose value is JSON matching `predicate`. */
export function eventsIn(
  records: readonly ReadRecord[],
  predicate: (event: LooseEvent) => boolean,
): ReadRecord[] {
  return records.filter((record) => {
    try {
      const event = JSON.parse(record.value?.toString('utf8') ?? 'null') as LooseEvent | null;
      return event !== null && predicate(event);
    } catch {
      return false;
    }
  });
}

export interface TestGateway {
  readonly brokers: string[];
  /** The base URL of the gateway running now. */
  readonly url: string;
  /** kill -9, then a new process: nothing of the old one's memory survives. */
  restart(): Promise<void>;
}

/**
 * For one test file: builds the gateway, creates the registry's topics on the test broker, runs
 * one gateway process for the file's tests, and stops it (by its PID) afterwards.
 */
export function useGateway(env: Record<string, string> = {}): TestGateway {
  const brokers = testBrokers();
  let gateway: GatewayProcess | undefined;
  const running = () => {
    if (!gateway) throw new Error('the gateway is not running');
    return gateway;
  };
  beforeAll(async () => {
    await Promise.all([buildGateway(), ensureTopics(brokers)]);
    gateway = await startGateway(brokers, env);
  });
  afterAll(async () => {
    await gateway?.stop('SIGTERM');
  });
  return {
    brokers,
    get url() {
      return running().url;
    },
    async restart() {
      await running().stop('SIGKILL');
      gateway = undefined;
      gateway = await startGateway(brokers, env);
    },
  };
}
