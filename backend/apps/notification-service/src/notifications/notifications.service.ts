import {
  createOrderProcessor,
  HealthRegistry,
  KafkaClients,
  startInBackground,
  type BackgroundStart,
  type OrderProcessor,
} from '@kafkadog/service';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  emailLine,
  isNotificationInput,
  notificationConfig,
  NotificationStateSchema,
} from './notification.config.js';
import {
  decide,
  evolve,
  initialNotificationState,
  type Email,
  type NotificationInput,
  type NotificationState,
} from './notification.decider.js';

/**
 * One "email sent" log line per order outcome, never two for the same order, through the order
 * processor (state per order in notification-service.state.v1).
 *
 * The email is sent AFTER the state write that records the order as notified
 * (`effectGuarantee: 'at-most-once'`): a redelivered or replayed outcome then always finds the
 * order notified, so no customer ever gets a second email. The price: a crash between the state
 * write and the log line loses that one email. The other order (send, then record) would instead
 * send it twice after such a crash; unlike an event, an email cannot be deduplicated downstream,
 * and "never two for the same order" is the promise here.
 */
@Injectable()
export class NotificationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #mail = new Logger('Email');
  #processor: OrderProcessor<NotificationState, NotificationInput> | undefined;
  #starting: BackgroundStart | undefined;

  constructor(
    private readonly kafka: KafkaClients,
    private readonly health: HealthRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.#starting = startInBackground('notifications', () => this.#start(), this.kafka.logger);
    this.health.register('state', () => this.#starting?.status ?? 'starting');
    this.health.register('consumers', () => (this.#processor?.paused ? 'paused' : 'up'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#starting?.stop();
    await this.#processor?.close();
    this.#processor = undefined;
  }

  async #start(): Promise<void> {
    await this.kafka.admin.ensureTopics(notificationConfig.topics);
    const processor = createOrderProcessor<NotificationState, NotificationInput, Email>(
      this.kafka,
      {
        groupId: notificationConfig.groupId,
        topics: notificationConfig.inputs,
        accepts: isNotificationInput,
        decider: {
          initialState: initialNotificationState,
          decide,
          // Emails change nothing; the outcome itself marks the order notified.
          evolve: (state, event) => ('type' in event ? evolve(state, event) : state),
        },
        stateTopic: notificationConfig.state,
        stateSchema: NotificationStateSchema,
        effectGuarantee: 'at-most-once',
        transactionIntervalMs: notificationConfig.transactionIntervalMs,
        effect: (email, outcome) => {
          this.#mail.log(emailLine(email, outcome.orderId ?? outcome.correlationId));
          return Promise.resolve();
        },
      },
    );
    await processor.start();
    this.#processor = processor;
  }
}
