// From the library's sources, as client.ts: the registry's topics get the same settings.
import { replicationFor } from '../../backend/libs/kafka/src/admin/replication.js';
import { nodePorts } from './config.js';
import { SASL_LISTENER, saslBrokerProperties, type LocalSasl } from './sasl.js';

export interface BrokerPropertiesInput {
  nodeId: number;
  /** How many nodes the cluster has; every node is both broker and controller. */
  nodes: number;
  basePort: number;
  host: string;
  /** Absolute path of this node's log (data) directory. */
  logDirs: string;
  /** Clients (and the other brokers) log in with SCRAM as this user. */
  sasl?: LocalSasl | undefined;
}

export function controllerQuorumVoters(nodes: number, basePort: number, host: string): string {
  return Array.from({ length: nodes }, (_, i) => {
    const id = i + 1;
    return `${id}@${host}:${nodePorts(basePort, id).controller}`;
  }).join(',');
}

/** The server.properties of one combined broker+controller node, in file order. */
export function brokerProperties(input: BrokerPropertiesInput): [key: string, value: string][] {
  const { nodeId, nodes, basePort, host, logDirs, sasl } = input;
  const ports = nodePorts(basePort, nodeId);
  // RF 3 with min ISR 2 is the production default: one node can die and acks=all writes go on.
  // A single node cannot have more than one replica, and Kafka's internal topics default to RF 3,
  // so without the `=1` overrides the group coordinator never comes up.
  const { replicationFactor: rf, minInsyncReplicas: minIsr } = replicationFor(nodes);
  const client = sasl ? SASL_LISTENER : 'PLAINTEXT';
  const listeners = `${client}://${host}:${ports.client},CONTROLLER://${host}:${ports.controller}`;
  // One node is formatted with --standalone (a dynamic quorum of itself), which refuses
  // controller.quorum.voters; several nodes share a static voter list and no quorum flag.
  const quorum: [string, string] =
    nodes === 1
      ? ['controller.quorum.bootstrap.servers', `${host}:${ports.controller}`]
      : ['controller.quorum.voters', controllerQuorumVoters(nodes, basePort, host)];
  return [
    ['process.roles', 'broker,controller'],
    ['node.id', String(nodeId)],
    quorum,
    ['listeners', listeners],
    ['advertised.listeners', listeners],
    ['listener.security.protocol.map', `CONTROLLER:PLAINTEXT,${client}:${client}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', client],
    ...(sasl ? saslBrokerProperties(sasl) : []),
    ['log.dirs', logDirs],
    ['num.partitions', '1'],
    ['default.replication.factor', String(rf)],
    ['min.insync.replicas', String(minIsr)],
    ['offsets.topic.replication.factor', String(rf)],
    ['transaction.state.log.replication.factor', String(rf)],
    ['transaction.state.log.min.isr', String(minIsr)],
    ['share.coordinator.state.topic.replication.factor', String(rf)],
    ['share.coordinator.state.topic.min.isr', String(minIsr)],
    // Topics come from the registry (npm run topics:create); a typo must fail, not create a topic.
    ['auto.create.topics.enable', 'false'],
    // The 3 s default only delays every first rebalance on a laptop.
    ['group.initial.rebalance.delay.ms', '0'],
    // The log cleaner's key map, 128 MiB by default, lives in the broker's 512 MiB heap and is
    // zeroed before every cleaning: 16 MiB (about 700,000 keys per pass, a larger log is cleaned
    // in several) halves the heap the broker keeps, and with it how often it collects garbage.
    ['log.cleaner.dedupe.buffer.size', String(16 * 1024 * 1024)],
  ];
}

/** Java properties syntax: backslashes are escapes, so a Windows path must double them. */
export function renderProperties(
  entries: readonly (readonly [string, string])[],
  header: readonly string[] = [],
): string {
  const lines = header.map((line) => `# ${line}`);
  for (const [key, value] of entries) lines.push(`${key}=${value.replace(/\\/g, '\\\\')}`);
  return `${lines.join('\n')}\n`;
}
