import { createEvent, topics } from '@kafkadog/contracts';
import { KafkaClients } from '@kafkadog/service';
import { Inject, Injectable } from '@nestjs/common';
import { EventFeed } from '../feed/event-feed.js';
import { writingToKafka } from '../http/kafka-unavailable.js';
import { FAULTS_CONFIG, type FaultsConfig } from './faults.config.js';
import { applyUpdate, defaultFaults, type Faults, type FaultsUpdate } from './faults.js';

export interface FaultsView extends Faults {
  /** `kafka` once a FaultsConfigured was read or written; `default` before. */
  readonly source: 'default' | 'kafka';
  readonly configuredAt: string | null;
}

/**
 * The fault switches. They live in the compacted api-gateway.faults.v1 (key `faults`): payment
 * and inventory follow the topic and apply the latest record, so a change reaches them while
 * everything runs, and survives every restart.
 */
@Injectable()
export class FaultsService {
  #current: FaultsView;
  /** PUTs run one after the other, so that none merges into a setting another is replacing. */
  #updating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kafka: KafkaClients,
    private readonly feed: EventFeed,
    @Inject(FAULTS_CONFIG) config: FaultsConfig,
  ) {
    this.#current = {
      ...defaultFaults(config.initialInventoryFailureRate),
      source: 'default',
      configuredAt: null,
    };
    feed.on(topics.faults, ({ event }) => {
      if (event?.type !== 'FaultsConfigured') return;
      this.#current = { ...event.data, source: 'kafka', configuredAt: event.occurredAt };
    });
  }

  current(): FaultsView {
    return this.#current;
  }

  async update(update: FaultsUpdate): Promise<FaultsView> {
    return (await this.write(update)).view;
  }

  /** Like update, and says at which offset of api-gateway.faults.v1 the setting was written. */
  write(update: FaultsUpdate): Promise<{ view: FaultsView; offset: number }> {
    const next = this.#updating.then(() => this.#apply(update));
    this.#updating = next.catch(() => {});
    return next;
  }

  async #apply(update: FaultsUpdate): Promise<{ view: FaultsView; offset: number }> {
    // Merging into the defaults while the latest setting is still unread would undo it.
    await this.feed.untilCaughtUp();
    const event = createEvent('FaultsConfigured', applyUpdate(this.#current, update));
    const position = await writingToKafka(this.kafka, 'the fault switches', () =>
      this.kafka.producer.publish(event),
    );
    this.#current = { ...event.data, source: 'kafka', configuredAt: event.occurredAt };
    return { view: this.#current, offset: Number(position.offset) };
  }
}
