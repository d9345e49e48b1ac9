import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  askBrokers,
  createAdmin,
  describeError,
  createKafkaMetrics,
  createProducer,
  createTransactionalProducer,
  renewingTransactionalProducer,
  waitForKafka,
  type EventProducer,
  type KafkaAdmin,
  type KafkaMetrics,
  type Logger,
  type TransactionalProducer,
} from '@kafkadog/kafka';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ProcessingMode } from '../config/env.js';
import { SERVICE_OPTIONS, type ServiceOptions } from '../service-options.js';

/** How often a running service checks that Kafka answers (GET /health). */
const CONNECTION_CHECK_MS = 5_000;

/**
 * What a service's GET /metrics serves: the Node.js process metrics and the Kafka counters, each
 * series labelled with the service's name.
 */
export function createServiceMetrics(service: string): KafkaMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return createKafkaMetrics(registry);
}

/**
 * The Kafka clients one service process shares: one producer, one admin, one metrics registry.
 * Connected once at boot (after Kafka answers), closed once at shutdown.
 */
@Injectable()
export class KafkaClients implements OnModuleInit, OnApplicationShutdown {
  readonly brokers: string[];
  readonly metrics: KafkaMetrics;
  readonly logger: Logger;
  #producer: EventProducer | undefined;
  #admin: KafkaAdmin | undefined;
  #connected = false;
  #monitor: NodeJS.Timeout | undefined;
  #probing = false;

  constructor(@Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions) {
    this.brokers = options.brokers;
    this.logger = options.kafkaLogger;
    this.metrics = createServiceMetrics(options.name);
  }

  async onModuleInit(): Promise<void> {
    // A service started before its broker waits here, logging each attempt, instead of crashing.
    await waitForKafka(this.brokers, this.logger, { clientId: this.options.name });
    this.#producer = createProducer({
      brokers: this.brokers,
      clientId: this.options.name,
      logger: this.logger,
      metrics: this.metrics,
    });
    this.#admin = createAdmin({ brokers: this.brokers, clientId: `${this.options.name}-admin` });
    this.#connected = true;
    // From now on /health says whether Kafka answers: a broker outage turns it red, not silent.
    this.#monitor = setInterval(() => void this.#probe(), CONNECTION_CHECK_MS);
  }

  async #probe(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    try {
      await askBrokers(this.brokers, `${this.options.name}-health`);
      if (!this.#connected) this.logger.info('Kafka answers again');
      this.#connected = true;
    } catch (error) {
      if (this.#connected) {
        this.logger.warn('Kafka does not answer; /health reports it until it does', {
          error: describeError(error),
        });
      }
      this.#connected = false;
    } finally {
      this.#probing = false;
    }
  }

  /** How long an order's state outlives its last change (ORDER_STATE_GRACE_MS). */
  get stateGraceMs(): number {
    return this.options.stateGraceMs;
  }

  /** How this stack processes records (KAFKADOG_PROCESSING). */
  get processing(): ProcessingMode {
    return this.options.processing;
  }

  /**
   * A producer for exactly-once processing, named by the service, a purpose and this instance:
   * one per unit of work that must not run twice at once. The caller closes it.
   */
  transactionalProducer(purpose: string): TransactionalProducer {
    const id = `${this.options.name}.${purpose}.${this.options.instance}`;
    // Only this instance uses the id: after a fence (a freeze past the transaction timeout) or a
    // failed abort, a new client takes it over rather than leave the partitions stalled.
    return renewingTransactionalProducer(
      () =>
        createTransactionalProducer({
          brokers: this.brokers,
          clientId: `${this.options.name}-tx-${purpose}`,
          transactionalId: id,
          logger: this.logger,
          // A batch is written in milliseconds; a crashed instance's open transaction holds back
          // every read_committed reader of its partitions until this runs out (or it restarts).
          transactionTimeoutMs: 10_000,
        }),
      this.logger,
    );
  }

  get producer(): EventProducer {
    if (!this.#producer) throw new Error('Kafka producer used before the module initialised');
    return this.#producer;
  }

  get admin(): KafkaAdmin {
    if (!this.#admin) throw new Error('Kafka admin used before the module initialised');
    return this.#admin;
  }

  get connected(): boolean {
    return this.#connected;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.#monitor);
    this.#connected = false;
    await this.#producer?.close();
    await this.#admin?.close();
  }
}
