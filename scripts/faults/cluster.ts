/**
 * What a broker fault needs to know about the cluster: who leads which partition, who coordinates
 * which group, and how every topic is replicated. Read with the client's own admin, as it is.
 */
import { allTopics } from '@kafkadog/contracts';
import { clientConnection } from '@kafkadog/kafka';
import {
  Admin,
  ConfigResourceTypes,
  Connection,
  FindCoordinatorKeyTypes,
  metadataV12,
  type ClusterMetadata,
} from '@platformatic/kafka';

export const OFFSETS_TOPIC = '__consumer_offsets';
export const TRANSACTIONS_TOPIC = '__transaction_state';

async function withAdmin<T>(brokers: string[], use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ clientId: 'kafkadog-faults-cluster', ...clientConnection(brokers) });
  try {
    return await use(admin);
  } finally {
    await admin.close();
  }
}

async function metadataOf(admin: Admin, names: readonly string[]): Promise<ClusterMetadata> {
  return admin.metadata({ topics: [...names], forceUpdate: true });
}

/** `orders.v1[2]` per partition, grouped by the node that leads it. */
export type Leaders = Map<number, string[]>;

export function leadersOf(metadata: ClusterMetadata, names: readonly string[]): Leaders {
  const leaders: Leaders = new Map();
  for (const name of names) {
    metadata.topics.get(name)?.partitions.forEach((partition, index) => {
      if (!partition || partition.leader < 0) return;
      leaders.set(partition.leader, [
        ...(leaders.get(partition.leader) ?? []),
        `${name}[${index}]`,
      ]);
    });
  }
  return leaders;
}

export interface BrokerChoice {
  readonly node: number;
  /** The registry partitions it leads. */
  readonly partitions: readonly string[];
  /** Of `totalPartitions` in the registry. */
  readonly totalPartitions: number;
  /** The services' consumer groups it coordinates. */
  readonly groups: readonly string[];
}

/**
 * The node whose loss hurts most: the one leading the most registry partitions and coordinating
 * the most of the services' groups (its producers must find new leaders, its groups a new
 * coordinator). The lowest id wins a tie, so a run is reproducible.
 */
export function chooseBroker(
  nodes: readonly number[],
  leaders: Leaders,
  coordinators: ReadonlyMap<string, number>,
): BrokerChoice {
  const totalPartitions = [...leaders.values()].reduce((sum, list) => sum + list.length, 0);
  const choices = nodes.map((node) => ({
    node,
    partitions: leaders.get(node) ?? [],
    totalPartitions,
    groups: [...coordinators].filter(([, id]) => id === node).map(([group]) => group),
  }));
  const score = (choice: BrokerChoice) => choice.partitions.length + choice.groups.length;
  return choices.reduce((best, choice) => (score(choice) > score(best) ? choice : best));
}

/** Leaders of the registry's partitions, and the coordinator of each of `groups`. */
export async function clusterRoles(
  brokers: string[],
  groups: readonly string[],
): Promise<{ leaders: Leaders; coordinators: Map<string, number> }> {
  return withAdmin(brokers, async (admin) => {
    const names = allTopics.map((topic) => topic.name);
    const leaders = leadersOf(await metadataOf(admin, names), names);
    const found =
      groups.length === 0
        ? []
        : await admin.findCoordinator({
            keyType: FindCoordinatorKeyTypes.GROUP,
            keys: [...groups],
          });
    return { leaders, coordinators: new Map(found.map((entry) => [entry.key, entry.nodeId])) };
  });
}

/** Registry partitions whose leader is `node` or none, and those with fewer in-sync replicas than `isr`. */
export async function partitionHealth(
  brokers: string[],
  node: number,
): Promise<{ ledByNode: number; leaderless: number; isrSizes: number[] }> {
  return withAdmin(brokers, async (admin) => {
    const names = allTopics.map((topic) => topic.name);
    const metadata = await metadataOf(admin, names);
    let ledByNode = 0;
    let leaderless = 0;
    const isrSizes: number[] = [];
    for (const name of names) {
      for (const partition of metadata.topics.get(name)?.partitions ?? []) {
        if (partition.leader === node) ledByNode++;
        if (partition.leader < 0) leaderless++;
        isrSizes.push(partition.isr.length);
      }
    }
    return { ledByNode, leaderless, isrSizes };
  });
}

export interface TopicReplication {
  readonly topic: string;
  /** Replicas of every partition (the smallest, should they differ). */
  readonly replicationFactor: number;
  /** The topic's effective min.insync.replicas. */
  readonly minInsyncReplicas: number;
  /** Set when the topic does not exist yet and the numbers are the broker's for when it is made. */
  readonly fromBrokerDefaults?: true;
}

/**
 * Replication of the registry's topics and of Kafka's offsets and transaction-state topics. The
 * transaction log is made on the first transaction: until then its settings are the broker's.
 */
export async function replicationOf(brokers: string[]): Promise<TopicReplication[]> {
  return withAdmin(brokers, async (admin) => {
    const present = new Set(await admin.listTopics({ includeInternals: true }));
    const names = [
      ...allTopics.map((topic) => topic.name),
      OFFSETS_TOPIC,
      ...(present.has(TRANSACTIONS_TOPIC) ? [TRANSACTIONS_TOPIC] : []),
    ];
    const replicas = await replicaCounts(brokers, names);
    const configs = await admin.describeConfigs({
      resources: names.map((name) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: name,
      })),
    });
    const minIsr = new Map(
      configs.map((resource) => [
        resource.resourceName,
        Number(resource.configs.find((config) => config.name === 'min.insync.replicas')?.value),
      ]),
    );
    const rows: TopicReplication[] = names.map((name) => ({
      topic: name,
      replicationFactor: replicas.get(name) ?? 0,
      minInsyncReplicas: minIsr.get(name) ?? Number.NaN,
    }));
    if (!present.has(TRANSACTIONS_TOPIC)) {
      const [broker] = (await metadataOf(admin, [])).brokers.keys();
      const [described] = await admin.describeConfigs({
        resources: [{ resourceType: ConfigResourceTypes.BROKER, resourceName: String(broker) }],
      });
      const value = (name: string) =>
        Number(described?.configs.find((config) => config.name === name)?.value);
      rows.push({
        topic: TRANSACTIONS_TOPIC,
        replicationFactor: value('transaction.state.log.replication.factor'),
        minInsyncReplicas: value('transaction.state.log.min.isr'),
        fromBrokerDefaults: true,
      });
    }
    return rows;
  });
}

/**
 * The smallest replica count over each topic's partitions, from a Metadata request of its own:
 * the client's metadata leaves Kafka's internal topics out.
 */
async function replicaCounts(
  brokers: string[],
  names: readonly string[],
): Promise<Map<string, number>> {
  const { bootstrapBrokers, ...security } = clientConnection(brokers);
  const [host, port] = bootstrapBrokers[0]!.split(/:(?=\d+$)/) as [string, string];
  const connection = new Connection('kafkadog-faults-cluster', security);
  try {
    await connection.connect(host, Number(port));
    const response = await metadataV12.api.async(connection, [...names]);
    return new Map(
      response.topics.map((topic) => [
        topic.name ?? '',
        Math.min(...topic.partitions.map((partition) => partition.replicaNodes.length)),
      ]),
    );
  } finally {
    await connection.close();
  }
}
