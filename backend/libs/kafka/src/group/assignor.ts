import type { GroupPartitionsAssigner, GroupPartitionsAssignments } from '@platformatic/kafka';

/**
 * Partition p of every topic goes to the same member: members sorted by id, p to member
 * p mod n. The topics of this project that share a key (orderId) have the same partition count,
 * so all events of one order reach one member, whatever topic they come from. The saga needs
 * that: it correlates an order's replies from payments.v1 and inventory.v1, and two members
 * deciding for one order at once could each see only half of them.
 *
 * (The client's default, round robin over the flat list of every topic's partitions, would
 * give payments.v1[0] and inventory.v1[0] to different members.)
 */
export const copartitionedAssigner: GroupPartitionsAssigner = (
  _current,
  members,
  topics,
  metadata,
) => {
  const memberIds = [...members.keys()].sort();
  const result = new Map<string, GroupPartitionsAssignments>(
    memberIds.map((memberId) => [memberId, { memberId, assignments: new Map() }]),
  );
  for (const topic of [...topics].sort()) {
    const subscribers = memberIds.filter((id) => members.get(id)?.topics?.includes(topic) ?? true);
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    if (subscribers.length === 0) continue;
    for (let partition = 0; partition < count; partition++) {
      const memberId = subscribers[partition % subscribers.length]!;
      const assignments = result.get(memberId)!.assignments;
      const entry = assignments.get(topic) ?? { topic, partitions: [] };
      entry.partitions.push(partition);
      assignments.set(topic, entry);
    }
  }
  return [...result.values()];
};
