export interface ReplicationSettings {
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

/**
 * What a topic of a replication factor needs so that acks=all writes survive one replica's loss:
 * with 3 replicas, 2 must have a write (the production default); with fewer, one is enough, or
 * a single broker down would refuse every write.
 */
export function minInsyncReplicasFor(replicationFactor: number): number {
  return replicationFactor >= 3 ? 2 : 1;
}

/** Replication factor 3 where the cluster has 3 brokers or more, else one replica per broker. */
export function replicationFor(brokers: number): ReplicationSettings {
  const replicationFactor = Math.max(1, Math.min(brokers, 3));
  return { replicationFactor, minInsyncReplicas: minInsyncReplicasFor(replicationFactor) };
}
