/**
 * A service's Kafka side run in the test's own process, built by hand as Nest would build it
 * (clients, health registry, the service), against a broker of the test file's own. For tests of
 * one service's wiring that need to restart it quickly or look at its state.
 */
import { FLOW_RETENTION_MS } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import {
  createConsoleLogger,
  createProducer,
  silentLogger,
  type EventProducer,
} from '@kafkadog/kafka';
import { HealthRegistry, KafkaClients, type ProcessingMode } from '@kafkadog/service';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack } from '../../scripts/lib/stack.js';
import { waitFor } from '../../scripts/lib/wait.js';

export interface OwnBroker {
  readonly brokers: string[];
  /** A producer for the test's own events. */
  readonly producer: EventProducer;
}

/**
 * A broker for this test file alone, with the registry's fixed topics: the services' topic names
 * are fixed, so exact numbers (stock, windows, timeouts) hold only where no other test writes.
 */
export function useOwnBroker(clientId: string): OwnBroker {
  let stack: Stack | undefined;
  let producer: EventProducer | undefined;
  beforeAll(async () => {
    stack = await startStack({ services: [] });
    producer = createProducer({ brokers: stack.brokers, clientId, logger: silentLogger });
  });
  afterAll(async () => {
    await producer?.close();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the broker did not start (see the beforeAll error)');
    return value;
  };
  return {
    get brokers() {
      return started(stack).brokers;
    },
    get producer() {
      return started(producer);
    },
  };
}

interface Lifecycle {
  onApplicationBootstrap(): void;
  onApplicationShutdown(): Promise<void>;
}

export interface InProcessService<S> {
  readonly service: S;
  readonly clients: KafkaClients;
  /** When the start began (Date.now()). */
  readonly startedAt: number;
  /** Shuts the service down as Nest would: the service first, then its Kafka clients. */
  stop(): Promise<void>;
}

/** Starts the service and waits until its `state` health check is up. */
export async function startInProcess<S extends Lifecycle>(
  name: string,
  brokers: string[],
  build: (clients: KafkaClients, health: HealthRegistry) => S,
  options: { processing?: ProcessingMode; stateGraceMs?: number } = {},
): Promise<InProcessService<S>> {
  const startedAt = Date.now();
  const clients = new KafkaClients({
    name,
    brokers,
    processing: options.processing ?? 'at-least-once',
    stateGraceMs: options.stateGraceMs ?? FLOW_RETENTION_MS,
    // Stands for the port of a real instance: unique, so that two in one test never fence.
    instance: randomUUID().slice(0, 8),
    // KAFKADOG_TEST_LOG=1 prints what the service logs, to see what a failing test went through.
    kafkaLogger: process.env.KAFKADOG_TEST_LOG === '1' ? createConsoleLogger(name) : silentLogger,
  });
  await clients.onModuleInit();
  const health = new HealthRegistry();
  const service = build(clients, health);
  service.onApplicationBootstrap();
  await waitFor(() => health.report().state === 'up', {
    timeoutMs: 60_000,
    what: `${name} ready`,
  });
  return {
    service,
    clients,
    startedAt,
    async stop() {
      await service.onApplicationShutdown();
      await clients.onApplicationShutdown();
    },
  };
}
