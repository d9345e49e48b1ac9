import { ListOffsetTimestamps, type Admin } from '@platformatic/kafka';
import { KafkadogError } from '../errors.js';
import type {
  ClusterDescription,
  CommittedOffset,
  GroupDescription,
  PartitionWatermarks,
} from './types.js';

/** Wraps a client call so that its failure becomes a KafkadogError saying what was attempted. */
export type AdminCall = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/**
 * The read-only calls the explorer needs (cluster nodes, watermarks, the offsets of many groups at
 * once), each one request per broker whatever the number of topics or groups: the gateway asks
 * them for every group every few seconds.
 */
export function inspectionCalls(client: Admin, call: AdminCall) {
  async function partitionCounts(
    names: readonly string[],
    skipMissing = false,
  ): Promise<Map<string, number>> {
    const present = new Set(await client.listTopics());
    const missing = names.filter((name) => !present.has(name));
    const topics = skipMissing ? names.filter((name) => present.has(name)) : names;
    if (topics.length === 0) return new Map();
    if (missing.length > 0 && !skipMissing) {
      throw new KafkadogError('UNKNOWN_TOPIC', `no such topic: ${missing.join(', ')}`);
    }
    const md = await client.metadata({ topics: [...topics], forceUpdate: true });
    return new Map(topics.map((name) => [name, md.topics.get(name)?.partitionsCount ?? 0]));
  }

  async function offsetsAt(
    counts: ReadonlyMap<string, number>,
    timestamp: bigint,
  ): Promise<Map<string, bigint>> {
    const listed = await client.listOffsets({
      topics: [...counts].map(([name, count]) => ({
        name,
        partitions: Array.from({ length: count }, (_, partitionIndex) => ({
          partitionIndex,
          timestamp,
        })),
      })),
    });
    const offsets = new Map<string, bigint>();
    for (const topic of listed) {
      for (const partition of topic.partitions) {
        offsets.set(`${topic.name}:${partition.partitionIndex}`, partition.offset);
      }
    }
    return offsets;
  }

  return {
    async describeCluster(): Promise<ClusterDescription> {
      return call('describe the cluster', async () => {
        const md = await client.metadata({ topics: [], forceUpdate: true });
        return {
          clusterId: md.id,
          // -1 when the broker does not say (KRaft brokers name a broker, not a controller quorum).
          controller: md.controllerId >= 0 ? md.controllerId : undefined,
          nodes: [...md.brokers]
            .map(([id, broker]) => ({
              id,
              host: broker.host,
              port: broker.port,
              rack: broker.rack ?? null,
            }))
            .sort((a, b) => a.id - b.id),
        };
      });
    },

    async watermarks(
      topics: readonly string[],
      options: { skipMissing?: boolean } = {},
    ): Promise<PartitionWatermarks[]> {
      if (topics.length === 0) return [];
      return call(`list the watermarks of ${topics.join(', ')}`, async () => {
        const counts = await partitionCounts(topics, options.skipMissing);
        if (counts.size === 0) return [];
        const [low, high] = await Promise.all([
          offsetsAt(counts, ListOffsetTimestamps.EARLIEST),
          offsetsAt(counts, ListOffsetTimestamps.LATEST),
        ]);
        return [...counts].flatMap(([topic, count]) =>
          Array.from({ length: count }, (_, partition) => ({
            topic,
            partition,
            low: low.get(`${topic}:${partition}`) ?? 0n,
            high: high.get(`${topic}:${partition}`) ?? 0n,
          })),
        );
      });
    },

    async offsetsForTimestamp(topic: string, timestamp: number): Promise<(bigint | null)[]> {
      return call(`look up the offsets of ${topic} at ${timestamp}`, async () => {
        const counts = await partitionCounts([topic]);
        const offsets = await offsetsAt(counts, BigInt(timestamp));
        return Array.from({ length: counts.get(topic) ?? 0 }, (_, partition) => {
          const offset = offsets.get(`${topic}:${partition}`) ?? -1n;
          return offset < 0n ? null : offset;
        });
      });
    },

    async committedOffsets(
      groupIds: readonly string[],
      topics?: readonly string[],
    ): Promise<CommittedOffset[]> {
      if (groupIds.length === 0) return [];
      return call('list committed offsets', async () => {
        const wanted = topics ? new Set(topics) : undefined;
        const listed = await client.listConsumerGroupOffsets({ groups: [...groupIds] });
        const rows: CommittedOffset[] = [];
        for (const group of listed) {
          for (const topic of group.topics) {
            if (wanted && !wanted.has(topic.name)) continue;
            for (const partition of topic.partitions) {
              // -1: no offset committed on this partition.
              if (partition.committedOffset < 0n) continue;
              rows.push({
                groupId: group.groupId,
                topic: topic.name,
                partition: partition.partitionIndex,
                committed: partition.committedOffset,
              });
            }
          }
        }
        return rows.sort(
          (a, b) =>
            a.groupId.localeCompare(b.groupId) ||
            a.topic.localeCompare(b.topic) ||
            a.partition - b.partition,
        );
      });
    },

    async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
      if (groupIds.length === 0) return [];
      return call(`describe groups ${groupIds.join(', ')}`, async () => {
        const groups = await client.describeGroups({ groups: [...groupIds] });
        return groupIds.map((id): GroupDescription => {
          const group = groups.get(id);
          if (!group) throw new KafkadogError('UNKNOWN_GROUP', `no such group ${id}`);
          return {
            id: group.id,
            state: group.state,
            protocol: group.protocol,
            members: [...group.members.values()].map((member) => ({
              memberId: member.id,
              clientId: member.clientId,
              host: member.clientHost,
              assignments: [...(member.assignments?.values() ?? [])].map(
                ({ topic, partitions }) => ({
                  topic,
                  partitions: [...partitions].sort((a, b) => a - b),
                }),
              ),
            })),
          };
        });
      });
    },
  };
}
