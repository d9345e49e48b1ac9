import { describeError } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { GroupHistory } from './group-history.js';
import { sampleGroups, type GroupSample } from './group-sampler.js';

export const SAMPLE_EVERY_MS = 2_000;

/**
 * Samples every consumer group every two seconds in the background, and keeps per group the lag
 * over time and the rebalances seen between samples. The groups present at the first sample are
 * its baseline; a group that appears later is diffed against an empty membership, so its first
 * members show up as joins.
 */
@Injectable()
export class GroupWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #histories = new Map<string, GroupHistory>();
  #timer: NodeJS.Timeout | undefined;
  #sampled = false;
  #sampling = false;
  #failing = false;

  constructor(private readonly kafka: KafkaClients) {}

  onApplicationBootstrap(): void {
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), SAMPLE_EVERY_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.#timer);
  }

  history(groupId: string): GroupHistory | undefined {
    return this.#histories.get(groupId);
  }

  async #tick(): Promise<void> {
    // A slow broker must not pile samples up.
    if (this.#sampling) return;
    this.#sampling = true;
    try {
      this.record(new Date(), await sampleGroups(this.kafka.admin));
      if (this.#failing) this.kafka.logger.info('sampling consumer groups again');
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) {
        this.kafka.logger.warn('could not sample consumer groups; trying again', {
          error: describeError(error),
        });
      }
      this.#failing = true;
    } finally {
      this.#sampling = false;
    }
  }

  record(at: Date, samples: readonly GroupSample[]): void {
    // GET /metrics: the lag of every group as sampled now (a group gone is gone from it too).
    const { groupLag } = this.kafka.metrics;
    groupLag.reset();
    for (const sample of samples) {
      for (const { topic, partition, lag } of sample.offsets) {
        groupLag.set({ group: sample.groupId, topic, partition: String(partition) }, lag);
      }
    }
    for (const sample of samples) {
      let history = this.#histories.get(sample.groupId);
      if (!history) {
        history = new GroupHistory(this.#sampled ? [] : sample.members);
        this.#histories.set(sample.groupId, history);
      }
      history.record(
        at,
        sample.members,
        sample.lag === null
          ? undefined
          : { at: at.toISOString(), lag: sample.lag, byTopic: sample.lagByTopic },
      );
    }
    this.#sampled = true;
  }
}
