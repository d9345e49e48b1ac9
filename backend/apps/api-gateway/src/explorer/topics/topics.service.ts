import { allTopics, type TopicSpec } from '@kafkadog/contracts';
import type { PartitionWatermarks } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import { Injectable } from '@nestjs/common';

export interface ClusterView {
  readonly brokers: string[];
  readonly nodes: { id: number; host: string; port: number }[];
  readonly controller?: number;
}

export interface TopicSummary {
  readonly name: string;
  readonly partitions: number;
  readonly internal: boolean;
  readonly keyedBy: string;
  readonly description: string;
  readonly events: string[];
  /** Records in the topic now: the sum over partitions of high - low. */
  readonly messages: number;
  readonly replicationFactor: number;
}

export interface PartitionView {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: number[];
  readonly isr: number[];
  readonly low: string;
  readonly high: string;
  readonly messages: number;
}

/** A group's cursor on each partition of the topic (where it will read next). */
export interface TopicGroupView {
  readonly groupId: string;
  readonly state: string;
  readonly offsets: { partition: number; committed: string | null; lag: number | null }[];
}

export interface TopicDetail {
  readonly name: string;
  readonly keyedBy: string;
  readonly description: string;
  readonly internal: boolean;
  readonly events: string[];
  readonly configs: Record<string, string>;
  readonly partitions: PartitionView[];
  readonly groups: TopicGroupView[];
}

const count = ({ low, high }: PartitionWatermarks): number => Number(high - low);

/** Topics as the registry defines them and the broker holds them; offsets become strings here. */
@Injectable()
export class TopicsService {
  constructor(private readonly kafka: KafkaClients) {}

  async cluster(): Promise<ClusterView> {
    const cluster = await this.kafka.admin.describeCluster();
    return {
      brokers: this.kafka.brokers,
      nodes: cluster.nodes.map(({ id, host, port }) => ({ id, host, port })),
      ...(cluster.controller === undefined ? {} : { controller: cluster.controller }),
    };
  }

  async list(): Promise<{ topics: TopicSummary[] }> {
    const names = allTopics.map((topic) => topic.name);
    const [described, watermarks] = await Promise.all([
      this.kafka.admin.describeTopics(names),
      this.kafka.admin.watermarks(names),
    ]);
    return {
      topics: allTopics.map((spec) => {
        const topic = described.find((candidate) => candidate.name === spec.name);
        return {
          ...this.#registryFields(spec),
          partitions: topic?.partitions.length ?? 0,
          messages: watermarks
            .filter((partition) => partition.topic === spec.name)
            .reduce((sum, partition) => sum + count(partition), 0),
          replicationFactor: topic?.partitions[0]?.replicas.length ?? 0,
        };
      }),
    };
  }

  async detail(spec: TopicSpec): Promise<TopicDetail> {
    const { admin } = this.kafka;
    const [[topic], watermarks, groups] = await Promise.all([
      admin.describeTopics([spec.name]),
      admin.watermarks([spec.name]),
      admin.listGroups(),
    ]);
    const committed = await admin.committedOffsets(
      groups.map((group) => group.id),
      [spec.name],
    );
    const high = new Map(watermarks.map((w) => [w.partition, w.high]));
    const cursors = new Map<string, TopicGroupView['offsets']>();
    for (const row of committed) {
      const end = high.get(row.partition) ?? 0n;
      cursors.set(row.groupId, [
        ...(cursors.get(row.groupId) ?? []),
        {
          partition: row.partition,
          committed: row.committed.toString(),
          lag: Number(end > row.committed ? end - row.committed : 0n),
        },
      ]);
    }
    const partitionCount = topic?.partitions.length ?? 0;
    return {
      ...this.#registryFields(spec),
      configs: topic?.configs ?? {},
      partitions: (topic?.partitions ?? []).map((partition) => {
        const marks = watermarks.find((w) => w.partition === partition.partition);
        return {
          ...partition,
          low: (marks?.low ?? 0n).toString(),
          high: (marks?.high ?? 0n).toString(),
          messages: marks ? count(marks) : 0,
        };
      }),
      groups: [...cursors].map(([groupId, offsets]) => ({
        groupId,
        state: groups.find((group) => group.id === groupId)?.state ?? 'Unknown',
        // Every partition, so that a lane without a cursor is visibly one.
        offsets: Array.from(
          { length: partitionCount },
          (_, partition) =>
            offsets.find((offset) => offset.partition === partition) ?? {
              partition,
              committed: null,
              lag: null,
            },
        ),
      })),
    };
  }

  #registryFields(spec: TopicSpec) {
    return {
      name: spec.name,
      keyedBy: spec.keyedBy,
      description: spec.description,
      internal: spec.internal ?? false,
      events: [...spec.events],
    };
  }
}
