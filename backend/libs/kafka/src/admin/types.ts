import type { Brokers } from '../brokers.js';
import type { Logger } from '../logger.js';
import type { GroupResetTarget, ResetPlanRow } from './reset-plan.js';

export interface AdminOptions {
  readonly brokers: Brokers;
  readonly clientId?: string;
  readonly logger?: Logger;
}

export interface EnsureTopicsOptions {
  /**
   * Defaults to min(3, number of brokers). A created topic's min.insync.replicas follows it: 2
   * with 3 replicas, else 1 (unless its spec sets one).
   */
  readonly replicationFactor?: number;
}

/** An existing topic that differs from its spec. ensureTopics reports it and leaves it alone. */
export interface TopicMismatch {
  readonly name: string;
  /** `partitions`, or the name of a topic config such as `cleanup.policy`. */
  readonly setting: string;
  readonly expected: string;
  readonly actual: string;
}

export interface EnsureTopicsResult {
  readonly created: string[];
  readonly existing: string[];
  /** Configs of existing topics set to the spec (`actual` is what they were). */
  readonly updated: TopicMismatch[];
  /** Differences left as they are: partition counts and cleanup policies. */
  readonly mismatched: TopicMismatch[];
}

export interface PartitionDescription {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: number[];
  readonly isr: number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly id: string;
  readonly partitions: PartitionDescription[];
  /** Configs set on the topic itself (not inherited broker defaults). */
  readonly configs: Record<string, string>;
}

export interface GroupSummary {
  readonly id: string;
  readonly state: string;
  readonly protocolType: string;
  /** `classic` or `consumer` (KIP-848), when the broker says. */
  readonly type: string | undefined;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly assignments: { topic: string; partitions: number[] }[];
}

export interface GroupDescription {
  readonly id: string;
  /** `Empty`, `Stable`, `PreparingRebalance`, `CompletingRebalance`, or `Dead` (no such group). */
  readonly state: string;
  readonly protocol: string;
  readonly members: GroupMemberDescription[];
}

export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** The next offset the group will read; null if the group never committed on this partition. */
  readonly committed: string | null;
  /** The offset the next record written to the partition will get. */
  readonly logEnd: string;
  /** Records written but not yet consumed by the group; null without a committed offset. */
  readonly lag: number | null;
}

/** Where to move a group: a partition's first or next-to-be-written record, the first record at
 * or after a time, or explicit offsets. */
export type OffsetResetTarget =
  | 'earliest'
  | 'latest'
  | { readonly timestamp: number | Date }
  | {
      readonly offsets: readonly {
        topic: string;
        partition: number;
        offset: string | number | bigint;
      }[];
    };

export interface OffsetPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface KafkaAdmin {
  /** Creates the topics that do not exist yet; never changes one that does. */
  ensureTopics(
    specs: readonly TopicSpecLike[],
    options?: EnsureTopicsOptions,
  ): Promise<EnsureTopicsResult>;
  describeTopics(names: readonly string[]): Promise<TopicDescription[]>;
  deleteTopics(names: readonly string[]): Promise<void>;
  brokerCount(): Promise<number>;
  listGroups(): Promise<GroupSummary[]>;
  describeGroup(groupId: string): Promise<GroupDescription>;
  /** Several groups in one request per coordinator; throws UNKNOWN_GROUP for a missing one. */
  describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]>;
  /** Committed offset, log end and lag per partition; `topics` adds partitions never committed. */
  groupOffsets(groupId: string, topics?: readonly string[]): Promise<PartitionOffsets[]>;
  /**
   * Moves a group's committed offsets. Kafka allows it only while the group has no members:
   * throws KafkadogError GROUP_ACTIVE otherwise. Stop the group's consumers first.
   */
  resetGroupOffsets(
    groupId: string,
    topics: readonly string[],
    to: OffsetResetTarget,
  ): Promise<OffsetPosition[]>;
  /** The brokers the cluster metadata lists, and its controller when the broker names one. */
  describeCluster(): Promise<ClusterDescription>;
  /** First offset and log end of every partition of the topics; UNKNOWN_TOPIC for a missing one,
   * unless `skipMissing` (e.g. a deleted topic that a group still has offsets on). */
  watermarks(
    topics: readonly string[],
    options?: { skipMissing?: boolean },
  ): Promise<PartitionWatermarks[]>;
  /** Per partition, the first offset whose timestamp is at or after `timestamp` (epoch ms);
   * null where no record is that recent. */
  offsetsForTimestamp(topic: string, timestamp: number): Promise<(bigint | null)[]>;
  /** The offsets the groups committed (partitions without one are left out), optionally only on
   * `topics`. */
  committedOffsets(
    groupIds: readonly string[],
    topics?: readonly string[],
  ): Promise<CommittedOffset[]>;
  /**
   * Where a reset would move the group on every partition of `topics`, and where it is now,
   * without moving anything (the tool's `--dry-run`). Apply it with resetGroupOffsets and the
   * plan's offsets. Throws INVALID_RESET for a shift on a partition never committed.
   */
  planGroupReset(
    groupId: string,
    topics: readonly string[],
    to: GroupResetTarget,
  ): Promise<ResetPlanRow[]>;
  close(): Promise<void>;
}

export interface ClusterNode {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface ClusterDescription {
  readonly clusterId: string;
  readonly controller: number | undefined;
  readonly nodes: ClusterNode[];
}

export interface PartitionWatermarks {
  readonly topic: string;
  readonly partition: number;
  /** The first offset still in the log (the log start). */
  readonly low: bigint;
  /** The log end: the offset the next record will get. */
  readonly high: bigint;
}

export interface CommittedOffset {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The next offset the group will read. */
  readonly committed: bigint;
}

/** The parts of a registry TopicSpec that topic creation reads. */
export interface TopicSpecLike {
  readonly name: string;
  readonly partitions: number;
  readonly configs?: Readonly<Record<string, string>>;
}
