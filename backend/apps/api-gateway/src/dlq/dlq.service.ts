import { topics } from '@kafkadog/contracts';
import type { RecordPosition } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import { Injectable } from '@nestjs/common';
import { EventFeed } from '../feed/event-feed.js';
import { ApiError } from '../http/api-error.js';
import { writingToKafka } from '../http/kafka-unavailable.js';
import {
  DeadLetterLog,
  redriveRecord,
  type DeadLetterView,
  type DlqStats,
} from './dead-letters.js';

export interface Redrive {
  readonly dlqOffset: number;
  readonly group: string;
  readonly retry: RecordPosition;
}

/** Dead letters: listed and counted from orders.dlq.v1, redriven through orders.retry.v1. */
@Injectable()
export class DlqService {
  readonly #log = new DeadLetterLog();
  /** Redrives being written right now: a second request for one of them is a conflict too. */
  readonly #redriving = new Set<number>();

  constructor(
    private readonly kafka: KafkaClients,
    private readonly feed: EventFeed,
  ) {
    feed.on(topics.dlq, (record) => this.#log.add(record));
    feed.on(topics.retry, (record) => this.#log.addRetry(record));
  }

  list(limit: number): { total: number; entries: DeadLetterView[] } {
    return { total: this.#log.stats().total, entries: this.#log.list(limit) };
  }

  stats(): DlqStats {
    return this.#log.stats();
  }

  async redrive(offset: number): Promise<Redrive> {
    // Which letters were redriven is read from the retry topic: wait until it is.
    await this.feed.untilCaughtUp();
    const letter = this.#log.get(offset);
    const record = this.#log.record(offset);
    if (!letter || !record) throw ApiError.notFound(`dead letter at offset ${offset}`);
    if (letter.redriven || this.#redriving.has(offset)) {
      throw new ApiError(409, {
        error: 'already_redriven',
        message: `the dead letter at offset ${offset} was redriven already`,
      });
    }
    const retry = redriveRecord(letter, record, Date.now());
    if (!retry || letter.group === null) {
      throw new ApiError(422, {
        error: 'not_redrivable',
        message: `the dead letter at offset ${offset} does not say which consumer group gave up on it or where it came from`,
      });
    }
    this.#redriving.add(offset);
    try {
      const position = await writingToKafka(this.kafka, 'the redrive', () =>
        this.kafka.producer.sendRaw(retry),
      );
      this.#log.markRedriven(offset);
      return { dlqOffset: offset, group: letter.group, retry: position };
    } finally {
      this.#redriving.delete(offset);
    }
  }
}
