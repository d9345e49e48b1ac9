import type { GroupMemberDescription, PartitionOffsets } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../http/api-error.js';
import type { LagPoint, Rebalance } from './group-history.js';
import { GROUP_PAUSES, type GroupPauses } from './group-pauses.js';
import { sampleGroups } from './group-sampler.js';
import { GroupWatcher } from './group-watcher.js';

export interface GroupSummaryView {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  readonly members: number;
  readonly topics: string[];
  readonly lag: number | null;
  readonly paused: boolean;
}

export interface GroupDetailView {
  readonly groupId: string;
  readonly state: string;
  readonly protocol: string;
  readonly paused: boolean;
  readonly members: GroupMemberDescription[];
  readonly offsets: PartitionOffsets[];
  readonly lagHistory: readonly LagPoint[];
  readonly rebalances: readonly Rebalance[];
}

/** Consumer groups now (asked at each request) and their recent past (from the watcher). */
@Injectable()
export class GroupsService {
  constructor(
    private readonly kafka: KafkaClients,
    private readonly watcher: GroupWatcher,
    @Inject(GROUP_PAUSES) private readonly pauses: GroupPauses,
  ) {}

  async list(): Promise<{ groups: GroupSummaryView[] }> {
    const samples = await sampleGroups(this.kafka.admin);
    return {
      groups: samples.map((sample) => ({
        groupId: sample.groupId,
        state: sample.state,
        protocolType: sample.protocolType,
        members: sample.members.length,
        topics: sample.topics,
        lag: sample.lag,
        paused: this.pauses.isPaused(sample.groupId),
      })),
    };
  }

  async detail(groupId: string): Promise<GroupDetailView> {
    const { admin } = this.kafka;
    const known = (await admin.listGroups()).some((group) => group.id === groupId);
    if (!known) {
      throw new ApiError(404, { error: 'unknown_group', message: `no consumer group ${groupId}` });
    }
    const [group, offsets] = await Promise.all([
      admin.describeGroup(groupId),
      admin.groupOffsets(groupId),
    ]);
    const history = this.watcher.history(groupId);
    return {
      groupId,
      state: group.state,
      protocol: group.protocol,
      paused: this.pauses.isPaused(groupId),
      members: group.members,
      offsets,
      lagHistory: history?.lagHistory ?? [],
      rebalances: history?.rebalances ?? [],
    };
  }
}
