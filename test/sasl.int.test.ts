/**
 * A cluster that wants a SASL login, as a managed one does: a broker of this file's own, started
 * by scripts/kafka with `sasl: true` (SCRAM on SASL_PLAINTEXT), and a service's Kafka clients
 * that log in with KAFKA_SASL_* alone, or fail at once when the password is wrong.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTopics, createEvent, topics, type KafkadogEvent } from '@kafkadog/contracts';
import {
  askBrokers,
  createEventConsumer,
  isRetriable,
  KafkadogError,
  retry,
  type EventConsumer,
  type Logger,
} from '@kafkadog/kafka';
import { baseEnv, KafkaClients, kafkaSecurityOf, parseEnv } from '@kafkadog/service';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ensureCluster,
  findFreeBasePort,
  REPO_ROOT,
  silentLogger,
  type ClusterHandle,
} from '../scripts/kafka/index.js';
import { waitFor } from './support/wait.js';

const USERNAME = 'orders-svc';
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(12).toString('hex')}`;
const LOGIN_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];

/** Every line and field a client logged, to look for secrets in. */
function capturingLogger(): Logger & { readonly text: () => string } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: unknown) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    text: () => lines.join('\n'),
  };
}

function serviceClients(brokers: string[], logger: Logger): KafkaClients {
  return new KafkaClients({
    name: 'sasl-test-service',
    brokers,
    kafkaLogger: logger,
    processing: 'at-least-once',
    stateGraceMs: 60_000,
    instance: randomUUID().slice(0, 8),
  });
}

/** Sets the login variables of this process (the service's environment) for one test. */
function login(values: Partial<Record<(typeof LOGIN_VARIABLES)[number], string>>): void {
  for (const name of LOGIN_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
    }),
  ]);
}

describe('a cluster that wants a SASL login (KAFKA_SASL_*)', () => {
  let cluster: ClusterHandle | undefined;
  let brokers: string[] = [];
  let dataDir: string | undefined;
  const saved = Object.fromEntries(LOGIN_VARIABLES.map((name) => [name, process.env[name]]));
  let clients: KafkaClients | undefined;
  let consumer: EventConsumer | undefined;
  // What the clients print on their own (the admin logs to the console), searched for secrets too.
  const printed: string[] = [];

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
    }
    const basePort = await findFreeBasePort({
      from: 40_000 + 10 * Math.floor(Math.random() * 500),
    });
    dataDir = await mkdtemp(join(tmpdir(), 'kafkadog-sasl-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SASL_PASSWORD: PASSWORD,
    };
    delete env.KAFKA_BROKERS;
    cluster = await ensureCluster({
      basePort,
      dataDir,
      nodes: 1,
      sasl: true,
      env,
      logger: silentLogger,
    });
    brokers = cluster.brokers;
  });

  afterEach(async () => {
    await consumer?.close();
    await clients?.onApplicationShutdown();
    consumer = undefined;
    clients = undefined;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await cluster?.stop({ wipe: true });
    // Also when the broker never started (then there is no cluster to wipe it).
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a client that does not log in (the broker really wants SASL)', async () => {
    login({});
    await expect(askBrokers(brokers, 'sasl-test-anonymous')).rejects.toThrow();
  });

  it('lets a service log in with SCRAM from the variables alone: admin, producer and consumer', async () => {
    login({
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    // What a service checks at boot, before it builds any client.
    expect(kafkaSecurityOf(parseEnv(baseEnv)).sasl?.mechanism).toBe('SCRAM-SHA-512');
    const logger = capturingLogger();
    const service = serviceClients(brokers, logger);
    clients = service;
    await within(service.onModuleInit(), 20_000, 'the service connecting');
    await service.admin.ensureTopics(allTopics, { replicationFactor: 1 });

    const received: KafkadogEvent[] = [];
    const groupId = `sasl-test.${randomUUID()}`;
    // The first group on a fresh broker creates __consumer_offsets: until its coordinator has
    // loaded, joining fails with a retriable NOT_COORDINATOR, as it would for a service.
    await retry(
      async () => {
        consumer = createEventConsumer({
          brokers,
          groupId,
          topics: [topics.orders],
          producer: service.producer,
          handler: (event) => {
            received.push(event);
          },
          retry: false,
          logger,
          metrics: service.metrics,
        });
        await consumer.start();
      },
      { shouldRetry: isRetriable, attempts: 10, backoff: { baseMs: 500, maxMs: 2_000 } },
    );
    const placed = createEvent(
      'OrderPlaced',
      {
        customerEmail: 'ada@example.com',
        items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: 4999 }],
        total: 4999,
        cardNumber: '4242424242424242',
      },
      { orderId: randomUUID() },
    );
    await service.producer.publish(placed);
    await waitFor(() => received.some((event) => event.id === placed.id), {
      timeoutMs: 20_000,
      what: 'the consumer receiving the event',
    });

    expect(logger.text()).toContain(`SASL SCRAM-SHA-512 as "${USERNAME}"`);
    expect(logger.text()).not.toContain(PASSWORD);
    expect(printed.join('\n')).toContain('topic created topic=orders.v1');
    expect(printed.join('\n')).not.toContain(PASSWORD);
  });

  it('fails at once on a wrong password, naming the variables, never the password', async () => {
    login({
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SASL_PASSWORD: WRONG_PASSWORD,
    });
    const logger = capturingLogger();
    clients = serviceClients(brokers, logger);
    const began = Date.now();
    const error = await within(
      clients.onModuleInit().then(
        () => undefined,
        (failure: unknown) => failure,
      ),
      10_000,
      'the service failing',
    );
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(KafkadogError);
    expect((error as KafkadogError).code).toBe('KAFKA_AUTHENTICATION_FAILED');
    const message = (error as Error).message;
    expect(message).toMatch(/refused the SASL SCRAM-SHA-256 login of user "orders-svc"/);
    expect(message).toMatch(/check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    // One attempt, not a retry loop: no "waiting for Kafka" line.
    expect(logger.text()).not.toContain('waiting for Kafka');
    for (const secret of [WRONG_PASSWORD, PASSWORD]) {
      expect(message).not.toContain(secret);
      expect(logger.text()).not.toContain(secret);
      expect(printed.join('\n')).not.toContain(secret);
    }
  });

  it('makes a script exit with one line naming the variables on a wrong password', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SASL_PASSWORD: WRONG_PASSWORD,
      NODE_OPTIONS: '',
    };
    const tsx = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const child = spawn(process.execPath, [tsx, '--conditions=source', 'scripts/topics.ts'], {
      cwd: REPO_ROOT,
      env,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await within(
      new Promise<number | null>((resolve) => child.once('exit', resolve)),
      30_000,
      'topics:create exiting',
    ).finally(() => child.kill('SIGKILL'));

    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(output).not.toContain(WRONG_PASSWORD);
  });
});
