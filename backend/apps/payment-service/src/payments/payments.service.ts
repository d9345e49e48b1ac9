import type { TopicTail } from '@kafkadog/kafka';
import {
  abortable,
  createOrderProcessor,
  followFaultSwitches,
  HealthRegistry,
  KafkaClients,
  startInBackground,
  type BackgroundStart,
  type FaultSetting,
  type OrderProcessor,
} from '@kafkadog/service';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { isPaymentInput, paymentConfig } from './payment.config.js';
import {
  decide,
  defaultPaymentRules,
  evolve,
  initialPaymentState,
  paymentRulesFrom,
  type PaymentInput,
  type PaymentRules,
  type PaymentState,
} from './payment.decider.js';
import { PaymentStateSchema } from './payment.state.js';

/**
 * Authorizes or declines each OrderPlaced and voids an authorization when its order is cancelled,
 * through the order processor: state per order in payment-service.state.v1, decisions published
 * to payments.v1. The rules are the latest FaultsConfigured, followed live.
 */
@Injectable()
export class PaymentsService implements OnApplicationBootstrap, OnApplicationShutdown {
  #rules: PaymentRules = defaultPaymentRules;
  #faults: TopicTail | undefined;
  #processor: OrderProcessor<PaymentState, PaymentInput> | undefined;
  #starting: BackgroundStart | undefined;

  constructor(
    private readonly kafka: KafkaClients,
    private readonly health: HealthRegistry,
  ) {}

  get rules(): PaymentRules {
    return this.#rules;
  }

  stateOf(orderId: string): PaymentState | undefined {
    return this.#processor?.stateOf(orderId);
  }

  onApplicationBootstrap(): void {
    this.#starting = startInBackground(
      'payment processing',
      (signal) => this.#start(signal),
      this.kafka.logger,
    );
    this.health.register('state', () => this.#starting?.status ?? 'starting');
    this.health.register('consumers', () => (this.#processor?.paused ? 'paused' : 'up'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#starting?.stop();
    await this.#stop();
  }

  async #start(signal: AbortSignal): Promise<void> {
    try {
      await this.kafka.admin.ensureTopics(paymentConfig.topics);
      this.#faults = await followFaultSwitches(this.kafka, {
        clientId: `${paymentConfig.groupId}.faults`,
        apply: (setting) => this.#onFaults(setting),
      });
      // The rules before the first decision: an order decided before the latest setting was read
      // would get the defaults instead.
      await abortable(this.#faults.caughtUp, signal);
      this.#processor = createOrderProcessor(this.kafka, {
        groupId: paymentConfig.groupId,
        topics: paymentConfig.inputs,
        accepts: isPaymentInput,
        decider: {
          initialState: initialPaymentState,
          // The decider stays pure: the rules in force are handed to it with each input. (A
          // decision redone after a crash uses the rules of the redo; only if they were switched
          // in between could it differ from the first, unrecorded, one.)
          decide: (state, input) => decide(state, input, this.#rules),
          evolve,
        },
        stateTopic: paymentConfig.state,
        stateSchema: PaymentStateSchema,
      });
      await this.#processor.start();
    } catch (error) {
      await this.#stop();
      throw error;
    }
  }

  async #stop(): Promise<void> {
    await this.#processor?.close();
    await this.#faults?.close();
    this.#processor = undefined;
    this.#faults = undefined;
  }

  #onFaults(setting: FaultSetting | undefined): void {
    if (setting === undefined) {
      // The setting was deleted: back to the documented defaults.
      this.#rules = defaultPaymentRules;
      this.kafka.logger.info('payment rules reset to the defaults', { ...this.#rules });
      return;
    }
    this.#rules = paymentRulesFrom(setting);
    this.kafka.logger.info('payment rules', {
      limitCents: this.#rules.limitCents,
      declinedCards: this.#rules.declinedCards.join(','),
    });
  }
}
