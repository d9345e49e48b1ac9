import { topics } from '@kafkadog/contracts';
import { Injectable } from '@nestjs/common';
import { EventFeed } from '../feed/event-feed.js';
import { recordFact, type Fact } from './facts.js';

/** The topics whose records a run keeps as facts. */
const judgedTopics = [
  topics.orders,
  topics.payments,
  topics.inventory,
  topics.outcomes,
  topics.retry,
  topics.dlq,
  topics.faults,
  // Written once per order notified: a replayed outcome that sends no email writes none.
  topics.notificationState,
];

/** A run keeps at most this many facts; a busy system (a benchmark) must not fill the memory. */
export const MAX_FACTS = 20_000;

/** A run's fact log. */
export class FactLog {
  readonly #facts: Fact[] = [];
  #dropped = 0;

  add(fact: Fact): void {
    if (this.#facts.length < MAX_FACTS) this.#facts.push(fact);
    else this.#dropped++;
  }

  get facts(): readonly Fact[] {
    return this.#facts;
  }

  get dropped(): number {
    return this.#dropped;
  }
}

/**
 * Hands the records of the judged topics, as the gateway's feed reads them, to the fact log of
 * every run in progress. Only records read while a run is open reach it: started after the feed
 * caught up, a run sees what was written during it, not history.
 */
@Injectable()
export class FactRecorder {
  readonly #open = new Set<FactLog>();

  constructor(readonly feed: EventFeed) {
    // Only the notifications' state is read for the runs alone, and they need no history of it.
    feed.startAt(topics.notificationState, { from: 'latest' });
    for (const topic of judgedTopics) {
      const carriesEvents = topic.events.length > 0;
      feed.on(
        topic,
        (record) => {
          const fact = recordFact(record, carriesEvents);
          for (const log of this.#open) log.add(fact);
        },
        () => this.#open.size > 0,
      );
    }
  }

  /** Opens a log that receives every record from now on, until `close`. */
  open(): { log: FactLog; close: () => void } {
    const log = new FactLog();
    this.#open.add(log);
    return { log, close: () => this.#open.delete(log) };
  }
}
