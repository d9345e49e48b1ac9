import {
  Admin,
  ConfigResourceTypes,
  IncrementalAlterConfigOperationTypes,
  ConfigSources,
  findErrorBy,
  ListOffsetTimestamps,
} from '@platformatic/kafka';
import { clientConnection, loginRefused, processKafkaSecurity } from '../connection/index.js';
import { describeError, isAuthenticationError, isRetriable, KafkadogError } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { inspectionCalls } from './inspect.js';
import { retry } from '../retry/backoff.js';
import { minInsyncReplicasFor, replicationFor } from './replication.js';
import {
  planReset,
  type GroupResetTarget,
  type PartitionResetState,
  type ResetPlanRow,
} from './reset-plan.js';
import type {
  AdminOptions,
  EnsureTopicsOptions,
  EnsureTopicsResult,
  GroupDescription,
  GroupSummary,
  KafkaAdmin,
  OffsetPosition,
  OffsetResetTarget,
  PartitionOffsets,
  TopicDescription,
  TopicMismatch,
  TopicSpecLike,
} from './types.js';

function hasApiError(error: unknown, ...apiIds: string[]): boolean {
  return apiIds.some((apiId) => findErrorBy(error as Error, 'apiId', apiId) !== null);
}

export function createAdmin(options: AdminOptions): KafkaAdmin {
  const logger = options.logger ?? consoleLogger;
  const security = processKafkaSecurity();
  const connection = clientConnection(options.brokers, security);
  const where = connection.bootstrapBrokers.join(',');
  const client = new Admin({
    clientId: options.clientId ?? 'kafkadog-admin',
    ...connection,
  });

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof KafkadogError) throw error;
      if (isAuthenticationError(error)) throw loginRefused(where, security, error);
      throw new KafkadogError('ADMIN_FAILED', `could not ${what}: ${describeError(error)}`, {
        cause: error,
        retriable: isRetriable(error),
      });
    }
  }
  const inspection = inspectionCalls(client, call);

  // The client answers a metadata request for a missing topic only after its own retries (about
  // 3 s) and with a bare "Unknown topic" UserError, so callers check existence first.
  async function metadata(topics: readonly string[] = [], retries?: number) {
    return client.metadata({
      topics: [...topics],
      forceUpdate: true,
      ...(retries === undefined ? {} : { retries }),
    });
  }

  async function requireTopics(names: readonly string[]): Promise<void> {
    const present = new Set(await client.listTopics());
    const missing = names.filter((name) => !present.has(name));
    if (missing.length > 0) {
      throw new KafkadogError('UNKNOWN_TOPIC', `no such topic: ${missing.join(', ')}`);
    }
  }

  async function brokerCount(): Promise<number> {
    return call('count brokers', async () => (await metadata()).brokers.size);
  }

  async function partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const md = await metadata(topics);
    return new Map(topics.map((name) => [name, md.topics.get(name)?.partitionsCount ?? 0]));
  }

  /** Partition count and replication factor (of its first partition) per topic. */
  async function topicLayouts(
    topics: readonly string[],
  ): Promise<Map<string, { partitions: number; replicas: number }>> {
    const md = await metadata(topics);
    return new Map(
      topics.map((name) => {
        const topic = md.topics.get(name);
        return [
          name,
          {
            partitions: topic?.partitionsCount ?? 0,
            replicas: topic?.partitions[0]?.replicas.length ?? 0,
          },
        ];
      }),
    );
  }

  async function topicConfigs(
    names: readonly string[],
  ): Promise<Map<string, Record<string, string>>> {
    if (names.length === 0) return new Map();
    const described = await client.describeConfigs({
      resources: names.map((name) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: name,
      })),
    });
    return new Map(
      described.map((resource) => [
        resource.resourceName,
        Object.fromEntries(
          resource.configs
            .filter((config) => config.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG)
            .map((config) => [config.name, config.value ?? '']),
        ),
      ]),
    );
  }

  async function allConfigs(names: readonly string[]): Promise<Map<string, Map<string, string>>> {
    if (names.length === 0) return new Map();
    const described = await client.describeConfigs({
      resources: names.map((name) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: name,
      })),
    });
    return new Map(
      described.map((resource) => [
        resource.resourceName,
        new Map(resource.configs.map((config) => [config.name, config.value ?? ''])),
      ]),
    );
  }

  // A new topic's partitions get their leaders a moment after CreateTopics returns; until then
  // producing to it fails. Waiting here keeps that race out of every caller.
  async function waitForLeaders(specs: readonly TopicSpecLike[]): Promise<void> {
    if (specs.length === 0) return;
    await retry(
      async () => {
        const md = await metadata(
          specs.map((spec) => spec.name),
          0,
        );
        const pending = specs.filter((spec) => {
          const topic = md.topics.get(spec.name);
          return (
            !topic ||
            topic.partitionsCount < spec.partitions ||
            topic.partitions.some((partition) => !partition || partition.leader < 0)
          );
        });
        if (pending.length > 0) {
          throw new KafkadogError(
            'TOPIC_NOT_READY',
            `no leader yet for ${pending.map((spec) => spec.name).join(', ')}`,
            { retriable: true },
          );
        }
      },
      {
        // Right after creation the broker answering may not know the topic yet ("Unknown topic").
        shouldRetry: () => true,
        attempts: 30,
        backoff: { baseMs: 100, factor: 1.5, maxMs: 1_000, jitter: 0 },
      },
    );
  }

  return {
    async ensureTopics(
      specs,
      ensureOptions: EnsureTopicsOptions = {},
    ): Promise<EnsureTopicsResult> {
      return call('ensure topics', async () => {
        const replicas =
          ensureOptions.replicationFactor ?? replicationFor(await brokerCount()).replicationFactor;
        const present = new Set(await client.listTopics());
        const created: TopicSpecLike[] = [];
        const existing: TopicSpecLike[] = [];
        for (const spec of specs) {
          if (present.has(spec.name)) {
            existing.push(spec);
            continue;
          }
          try {
            await client.createTopics({
              topics: [spec.name],
              partitions: spec.partitions,
              replicas,
              configs: Object.entries(configsFor(spec, replicas)).map(([name, value]) => ({
                name,
                value,
              })),
            });
            created.push(spec);
            logger.info('topic created', {
              topic: spec.name,
              partitions: spec.partitions,
              replicas,
            });
          } catch (error) {
            // Another process created it between our listing and our request.
            if (!hasApiError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
            existing.push(spec);
          }
        }
        await waitForLeaders(created);

        const mismatched: TopicMismatch[] = [];
        const updated: TopicMismatch[] = [];
        if (existing.length > 0) {
          const layouts = await topicLayouts(existing.map((spec) => spec.name));
          const configs = await allConfigs(existing.map((spec) => spec.name));
          for (const spec of existing) {
            const layout = layouts.get(spec.name);
            const actual = layout?.partitions ?? 0;
            if (actual !== spec.partitions) {
              mismatched.push({
                name: spec.name,
                setting: 'partitions',
                expected: String(spec.partitions),
                actual: String(actual),
              });
            }
            const changes: { name: string; value: string; from: string }[] = [];
            // min.insync.replicas follows the replicas the topic has, not those it would get now:
            // more than it has would refuse every acks=all write.
            const expectedConfigs = configsFor(spec, layout?.replicas ?? replicas);
            for (const [setting, expected] of Object.entries(expectedConfigs)) {
              const value = configs.get(spec.name)?.get(setting) ?? '';
              if (value === expected) continue;
              // Retention, segments and the like are aligned; a cleanup policy is not: turning a
              // log into a compacted one (or back) changes what its records mean.
              if (setting === 'cleanup.policy') {
                mismatched.push({ name: spec.name, setting, expected, actual: value });
              } else {
                changes.push({ name: setting, value: expected, from: value });
              }
            }
            if (changes.length > 0) {
              await client.incrementalAlterConfigs({
                resources: [
                  {
                    resourceType: ConfigResourceTypes.TOPIC,
                    resourceName: spec.name,
                    configs: changes.map(({ name, value }) => ({
                      name,
                      value,
                      configOperation: IncrementalAlterConfigOperationTypes.SET,
                    })),
                  },
                ],
              });
              for (const change of changes) {
                updated.push({
                  name: spec.name,
                  setting: change.name,
                  expected: change.value,
                  actual: change.from,
                });
                logger.info('topic config updated to its spec', {
                  topic: spec.name,
                  setting: change.name,
                  from: change.from,
                  to: change.value,
                });
              }
            }
          }
          for (const mismatch of mismatched) {
            logger.warn('existing topic differs from its spec; left unchanged', { ...mismatch });
          }
        }
        return {
          created: created.map((spec) => spec.name),
          existing: existing.map((spec) => spec.name),
          updated,
          mismatched,
        };
      });
    },

    async describeTopics(names): Promise<TopicDescription[]> {
      return call('describe topics', async () => {
        await requireTopics(names);
        const md = await metadata(names);
        const configs = await topicConfigs(names);
        return names.map((name) => {
          const topic = md.topics.get(name);
          if (!topic) throw new KafkadogError('UNKNOWN_TOPIC', `no such topic ${name}`);
          return {
            name,
            id: topic.id,
            partitions: topic.partitions.map((partition, index) => ({
              partition: index,
              leader: partition.leader,
              replicas: [...partition.replicas],
              isr: [...partition.isr],
            })),
            configs: configs.get(name) ?? {},
          };
        });
      });
    },

    async deleteTopics(names) {
      await call('delete topics', () => client.deleteTopics({ topics: [...names] }));
    },

    brokerCount,

    async listGroups(): Promise<GroupSummary[]> {
      return call('list groups', async () => {
        const groups = await client.listGroups({ types: ['classic', 'consumer'] });
        return [...groups.values()]
          .map((group) => ({
            id: group.id,
            state: group.state,
            protocolType: group.protocolType,
            type: group.groupType,
          }))
          .sort((a, b) => a.id.localeCompare(b.id));
      });
    },

    async describeGroup(groupId): Promise<GroupDescription> {
      const [group] = await inspection.describeGroups([groupId]);
      return group!;
    },

    ...inspection,

    async groupOffsets(groupId, topics = []): Promise<PartitionOffsets[]> {
      return call(`read the offsets of group ${groupId}`, async () => {
        // Stable offsets only: a transaction's offsets become the group's once the coordinator
        // has written its commit markers, a moment after the producer's commit returned. Until
        // then the broker answers "unstable" and the client asks again.
        const [listed] = await client.listConsumerGroupOffsets({
          groups: [groupId],
          requireStable: true,
        });
        const committed = new Map<string, bigint>();
        const partitionsByTopic = new Map<string, Set<number>>();
        const track = (topic: string, partition: number) => {
          const set = partitionsByTopic.get(topic) ?? new Set<number>();
          set.add(partition);
          partitionsByTopic.set(topic, set);
        };
        for (const topic of listed?.topics ?? []) {
          for (const partition of topic.partitions) {
            if (partition.committedOffset < 0n) continue;
            committed.set(`${topic.name}:${partition.partitionIndex}`, partition.committedOffset);
            track(topic.name, partition.partitionIndex);
          }
        }
        if (topics.length > 0) {
          await requireTopics(topics);
          for (const [topic, count] of await partitionCounts(topics)) {
            for (let partition = 0; partition < count; partition++) track(topic, partition);
          }
        }
        const logEnd = await listOffsets(partitionsByTopic, ListOffsetTimestamps.LATEST);
        const rows: PartitionOffsets[] = [];
        for (const [topic, partitions] of partitionsByTopic) {
          for (const partition of [...partitions].sort((a, b) => a - b)) {
            const key = `${topic}:${partition}`;
            const end = logEnd.get(key) ?? 0n;
            const done = committed.get(key);
            rows.push({
              topic,
              partition,
              committed: done === undefined ? null : done.toString(),
              logEnd: end.toString(),
              lag: done === undefined ? null : Number(end > done ? end - done : 0n),
            });
          }
        }
        return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
      });
    },

    async resetGroupOffsets(groupId, topics, to: OffsetResetTarget): Promise<OffsetPosition[]> {
      const group = await this.describeGroup(groupId);
      if (group.members.length > 0) throw groupActive(groupId, group.members.length);
      return call(`reset the offsets of group ${groupId}`, async () => {
        const targets = await resetTargets(topics, to);
        try {
          await client.alterConsumerGroupOffsets({
            groupId,
            topics: [...groupByTopic(targets)].map(([name, partitions]) => ({
              name,
              partitionOffsets: partitions.map(({ partition, offset }) => ({ partition, offset })),
            })),
          });
        } catch (error) {
          // A member joined after the check above: Kafka refuses to move a live group's offsets.
          if (
            hasApiError(error, 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS')
          ) {
            throw groupActive(groupId, undefined, error);
          }
          throw error;
        }
        logger.info('consumer group offsets reset', {
          group: groupId,
          to: typeof to === 'string' ? to : 'timestamp' in to ? 'timestamp' : 'offsets',
          partitions: targets.length,
        });
        return targets.map(({ topic, partition, offset }) => ({
          topic,
          partition,
          offset: offset.toString(),
        }));
      });
    },

    async planGroupReset(groupId, topics, to): Promise<ResetPlanRow[]> {
      return call(`plan a reset of group ${groupId}`, async () => {
        await requireTopics(topics);
        return planReset(await resetStates(groupId, topics, to), to);
      });
    },

    async close() {
      await client.close();
    },
  };

  /** Low and high watermark, committed offset and (for a timestamp) the offset at that time. */
  async function resetStates(
    groupId: string,
    topics: readonly string[],
    to: GroupResetTarget,
  ): Promise<PartitionResetState[]> {
    const all = new Map<string, Set<number>>();
    for (const [topic, count] of await partitionCounts(topics)) {
      all.set(topic, new Set(Array.from({ length: count }, (_, partition) => partition)));
    }
    const [listed] = await client.listConsumerGroupOffsets({ groups: [groupId] });
    const committed = new Map<string, bigint>();
    for (const topic of listed?.topics ?? []) {
      for (const partition of topic.partitions) {
        if (partition.committedOffset >= 0n) {
          committed.set(`${topic.name}:${partition.partitionIndex}`, partition.committedOffset);
        }
      }
    }
    const low = await listOffsets(all, ListOffsetTimestamps.EARLIEST);
    const high = await listOffsets(all, ListOffsetTimestamps.LATEST);
    const atTimestamp =
      typeof to === 'object' && 'timestamp' in to
        ? await listOffsets(
            all,
            BigInt(to.timestamp instanceof Date ? to.timestamp.getTime() : to.timestamp),
          )
        : undefined;
    return [...all].flatMap(([topic, partitions]) =>
      [...partitions].map((partition) => {
        const key = `${topic}:${partition}`;
        const at = atTimestamp?.get(key);
        return {
          topic,
          partition,
          low: low.get(key) ?? 0n,
          high: high.get(key) ?? 0n,
          committed: committed.get(key) ?? null,
          // The broker answers -1 when no record is at or after the timestamp.
          ...(atTimestamp ? { atTimestamp: at === undefined || at < 0n ? null : at } : {}),
        };
      }),
    );
  }

  async function listOffsets(
    partitionsByTopic: ReadonlyMap<string, ReadonlySet<number>>,
    timestamp: bigint,
  ): Promise<Map<string, bigint>> {
    if (partitionsByTopic.size === 0) return new Map();
    const listed = await client.listOffsets({
      topics: [...partitionsByTopic].map(([name, partitions]) => ({
        name,
        partitions: [...partitions].map((partitionIndex) => ({ partitionIndex, timestamp })),
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

  async function resetTargets(
    topics: readonly string[],
    to: OffsetResetTarget,
  ): Promise<{ topic: string; partition: number; offset: bigint }[]> {
    if (typeof to === 'object' && 'offsets' in to) {
      const unknown = to.offsets.filter((entry) => !topics.includes(entry.topic));
      if (unknown.length > 0) {
        throw new KafkadogError(
          'INVALID_RESET',
          `offsets given for topics not being reset: ${[...new Set(unknown.map((e) => e.topic))].join(', ')}`,
        );
      }
      return to.offsets.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        offset: BigInt(offset),
      }));
    }
    await requireTopics(topics);
    const all = new Map<string, Set<number>>();
    for (const [topic, count] of await partitionCounts(topics)) {
      all.set(topic, new Set(Array.from({ length: count }, (_, partition) => partition)));
    }
    const latest = await listOffsets(all, ListOffsetTimestamps.LATEST);
    const chosen =
      to === 'latest'
        ? latest
        : to === 'earliest'
          ? await listOffsets(all, ListOffsetTimestamps.EARLIEST)
          : await listOffsets(
              all,
              BigInt(to.timestamp instanceof Date ? to.timestamp.getTime() : to.timestamp),
            );
    const targets: { topic: string; partition: number; offset: bigint }[] = [];
    for (const [topic, partitions] of all) {
      for (const partition of partitions) {
        const key = `${topic}:${partition}`;
        const offset = chosen.get(key) ?? -1n;
        // No record at or after the timestamp: start after the last one.
        targets.push({ topic, partition, offset: offset < 0n ? (latest.get(key) ?? 0n) : offset });
      }
    }
    return targets;
  }
}

/**
 * A topic's configs at creation: its spec's, and min.insync.replicas for its replication factor
 * (explicit, so that a cluster's own default does not decide what acks=all means).
 */
function configsFor(spec: TopicSpecLike, replicationFactor: number): Record<string, string> {
  return {
    'min.insync.replicas': String(minInsyncReplicasFor(replicationFactor)),
    ...spec.configs,
  };
}

function groupActive(groupId: string, members?: number, cause?: unknown): KafkadogError {
  return new KafkadogError(
    'GROUP_ACTIVE',
    `group ${groupId} has ${members ?? 'active'} member${members === 1 ? '' : 's'}: Kafka moves a ` +
      `group's offsets only while none of its consumers runs; stop them and try again`,
    { cause },
  );
}

function groupByTopic<T extends { topic: string }>(entries: readonly T[]): Map<string, T[]> {
  const byTopic = new Map<string, T[]>();
  for (const entry of entries) {
    byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry]);
  }
  return byTopic;
}
