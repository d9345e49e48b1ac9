import { topics, type DataOf } from '@kafkadog/contracts';
import { Injectable } from '@nestjs/common';
import { EventFeed } from '../feed/event-feed.js';
import { ApiError } from '../http/api-error.js';

export type TopProducts = DataOf<'TopProductsUpdated'> & {
  readonly eventId: string;
  readonly occurredAt: string;
};

/** The latest TopProductsUpdated of the analytics service (one partition: the last one read). */
@Injectable()
export class AnalyticsService {
  #latest: TopProducts | undefined;

  constructor(feed: EventFeed) {
    feed.on(topics.snapshots, ({ event }) => {
      if (event?.type !== 'TopProductsUpdated') return;
      this.#latest = { ...event.data, eventId: event.id, occurredAt: event.occurredAt };
    });
  }

  topProducts(): TopProducts {
    if (!this.#latest) {
      throw new ApiError(404, {
        error: 'no_snapshot',
        message: `the analytics service has not published to ${topics.snapshots.name} yet`,
      });
    }
    return this.#latest;
  }
}
