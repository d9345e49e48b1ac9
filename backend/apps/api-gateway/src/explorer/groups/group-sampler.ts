import type { GroupMemberDescription, KafkaAdmin } from '@kafkadog/kafka';

/** One consumer group at one moment: who is in it, and how far behind it is per partition. */
export interface GroupSample {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  readonly members: GroupMemberDescription[];
  readonly offsets: { topic: string; partition: number; committed: bigint; lag: number }[];
  /** Topics the group has offsets on or members assigned to. */
  readonly topics: string[];
  /** Sum over its committed partitions; null without any committed offset. */
  readonly lag: number | null;
  readonly lagByTopic: Record<string, number>;
}

/**
 * Every group of the cluster in four requests (list, describe, committed offsets, log ends),
 * whatever their number: the explorer samples them all every two seconds.
 */
export async function sampleGroups(admin: KafkaAdmin): Promise<GroupSample[]> {
  const groups = await admin.listGroups();
  const ids = groups.map((group) => group.id);
  const [described, committed] = await Promise.all([
    admin.describeGroups(ids),
    admin.committedOffsets(ids),
  ]);
  const offsetTopics = [...new Set(committed.map((row) => row.topic))];
  // A group keeps offsets on a topic that was deleted since (tests do that): leave those out.
  const watermarks = await admin.watermarks(offsetTopics, { skipMissing: true });
  const logEnd = new Map(watermarks.map((w) => [`${w.topic}:${w.partition}`, w.high]));
  return groups.map((group, index): GroupSample => {
    const description = described[index]!;
    const offsets = committed
      .filter((row) => row.groupId === group.id && logEnd.has(`${row.topic}:${row.partition}`))
      .map(({ topic, partition, committed: at }) => {
        const end = logEnd.get(`${topic}:${partition}`) ?? at;
        return { topic, partition, committed: at, lag: Number(end > at ? end - at : 0n) };
      });
    const lagByTopic: Record<string, number> = {};
    for (const { topic, lag } of offsets) lagByTopic[topic] = (lagByTopic[topic] ?? 0) + lag;
    const assigned = description.members.flatMap((m) => m.assignments.map((a) => a.topic));
    return {
      groupId: group.id,
      state: description.state,
      protocolType: group.protocolType,
      members: description.members,
      offsets,
      topics: [...new Set([...offsets.map((o) => o.topic), ...assigned])].sort(),
      lag: offsets.length === 0 ? null : offsets.reduce((sum, o) => sum + o.lag, 0),
      lagByTopic,
    };
  });
}
