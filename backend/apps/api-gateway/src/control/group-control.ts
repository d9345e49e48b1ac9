import { createEvent, topics } from '@kafkadog/contracts';
import { foldPauseRecord } from '@kafkadog/service';
import { KafkaClients } from '@kafkadog/service';
import { Injectable } from '@nestjs/common';
import { EventFeed } from '../feed/event-feed.js';
import { writingToKafka } from '../http/kafka-unavailable.js';

/**
 * Which consumer groups are paused, and the pause and resume switches. A pause is a
 * GroupPauseSet on the compacted api-gateway.control.v1 (key: the group id): every service
 * follows that topic and closes the consumers of a paused group, so the group empties and Kafka
 * lets its offsets be moved. The set is rebuilt from the topic at every start, like every view.
 */
@Injectable()
export class GroupControl {
  #paused: ReadonlySet<string> = new Set();

  constructor(
    private readonly kafka: KafkaClients,
    private readonly feed: EventFeed,
  ) {
    feed.on(topics.control, (record) => {
      this.#paused = foldPauseRecord(this.#paused, record).paused;
    });
  }

  isPaused(groupId: string): boolean {
    return this.#paused.has(groupId);
  }

  pausedGroups(): string[] {
    return [...this.#paused].sort();
  }

  pause(groupId: string): Promise<void> {
    return this.#set(groupId, true);
  }

  resume(groupId: string): Promise<void> {
    return this.#set(groupId, false);
  }

  async #set(groupId: string, paused: boolean): Promise<void> {
    const event = createEvent('GroupPauseSet', { groupId, paused });
    await writingToKafka(this.kafka, `the ${paused ? 'pause' : 'resume'} of ${groupId}`, () =>
      this.kafka.producer.publish(event),
    );
    // Known at once, not only once the feed reads it back.
    this.#paused = foldPauseRecord(this.#paused, {
      key: groupId,
      value: Buffer.from(JSON.stringify(event)),
    }).paused;
  }
}
