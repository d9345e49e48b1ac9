import {
  countRecords,
  describeError,
  KafkadogError,
  sleep,
  type GroupDescription,
  type ResetPlanRow,
} from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import { Inject, Injectable } from '@nestjs/common';
import { EventFeed } from '../feed/event-feed.js';
import { ApiError } from '../http/api-error.js';
import { CONTROL_CONFIG, type ControlConfig } from './control.config.js';
import { GroupControl } from './group-control.js';
import { resetCommand, resetTarget, type ResetRequest } from './reset-request.js';

export interface ResetResult {
  readonly groupId: string;
  readonly dryRun: boolean;
  readonly applied: boolean;
  readonly partitions: {
    topic: string;
    partition: number;
    before: string | null;
    after: string;
    /** Records between the two offsets: read again (moved back) or skipped (moved forward). */
    records: number;
  }[];
  /** With `pause: true`: whether this reset paused the group's consumers (and resumed them). */
  readonly paused?: boolean;
  readonly command: string;
}

const EMPTY_POLL_MS = 250;

/**
 * Resets a consumer group's offsets as kafka-consumer-groups.sh --reset-offsets does, with a dry
 * run, and with `pause: true` around a group whose consumers run: pause, wait until the group is
 * empty, reset, resume (also when the reset failed).
 */
@Injectable()
export class GroupResetService {
  constructor(
    private readonly kafka: KafkaClients,
    private readonly feed: EventFeed,
    private readonly control: GroupControl,
    @Inject(CONTROL_CONFIG) private readonly config: ControlConfig,
  ) {}

  async reset(groupId: string, request: ResetRequest): Promise<ResetResult> {
    const topics = request.topics ?? (await this.#committedTopics(groupId));
    const to = resetTarget(request.to);
    const answer = async (
      plan: ResetPlanRow[],
      applied: boolean,
      paused?: boolean,
    ): Promise<ResetResult> => ({
      groupId,
      dryRun: request.dryRun,
      applied,
      partitions: await Promise.all(
        plan.map(async (row) => ({
          topic: row.topic,
          partition: row.partition,
          before: row.before === null ? null : row.before.toString(),
          after: row.after.toString(),
          records: await this.#recordsBetween(row),
        })),
      ),
      ...(paused === undefined ? {} : { paused }),
      command: resetCommand({
        brokers: this.kafka.brokers,
        groupId,
        topics,
        to,
        execute: !request.dryRun,
      }),
    });
    // A dry run moves nothing, so it is answered whether or not the group has members.
    if (request.dryRun) return answer(await this.#plan(groupId, topics, request), false);

    if (!request.pause) {
      const group = await this.#describe(groupId);
      if (group.members.length > 0) throw groupActive(group);
      return answer(await this.#apply(groupId, topics, request), true);
    }

    // A reset that cannot be done (an unknown topic, a shift without a committed offset) is
    // refused before the pause: a refused request writes nothing to the control topic.
    await this.#plan(groupId, topics, request);
    await this.feed.untilCaughtUp();
    // A group the learner paused before stays paused afterwards.
    const pausedHere = !this.control.isPaused(groupId);
    if (pausedHere) await this.control.pause(groupId);
    let failed = false;
    try {
      await this.#waitUntilEmpty(groupId);
      return answer(await this.#apply(groupId, topics, request), true, pausedHere);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (pausedHere) await this.#resume(groupId, failed);
    }
  }

  /**
   * The records between a partition's offsets before and after: fewer than the offsets apart
   * where transactions wrote (each commit marker takes an offset, and is no record).
   */
  async #recordsBetween(row: ResetPlanRow): Promise<number> {
    if (row.before === null || row.before === row.after) return 0;
    const [from, to] = row.after < row.before ? [row.after, row.before] : [row.before, row.after];
    return this.#admin(() =>
      countRecords({
        brokers: this.kafka.brokers,
        ranges: [{ topic: row.topic, partition: row.partition, from, to }],
        clientId: 'api-gateway.reset-count',
        logger: this.kafka.logger,
      }),
    );
  }

  async #resume(groupId: string, afterFailure: boolean): Promise<void> {
    try {
      await this.control.resume(groupId);
    } catch (error) {
      // The reset's own error says more; this one is logged.
      if (!afterFailure) throw error;
      this.kafka.logger.error('could not resume a group after a failed reset', {
        group: groupId,
        error: describeError(error),
      });
    }
  }

  async #committedTopics(groupId: string): Promise<string[]> {
    const rows = await this.#admin(() => this.kafka.admin.groupOffsets(groupId));
    const topics = [
      ...new Set(rows.filter((row) => row.committed !== null).map((row) => row.topic)),
    ];
    if (topics.length === 0) {
      throw new ApiError(404, {
        error: 'unknown_group',
        message: `group ${groupId} has no committed offsets; name the topics to reset in "topics"`,
      });
    }
    return topics.sort();
  }

  #plan(groupId: string, topics: readonly string[], request: ResetRequest) {
    return this.#admin(() =>
      this.kafka.admin.planGroupReset(groupId, topics, resetTarget(request.to)),
    );
  }

  /** Planned now, once the group is empty: where it stands no longer moves. */
  async #apply(groupId: string, topics: readonly string[], request: ResetRequest) {
    const plan = await this.#plan(groupId, topics, request);
    await this.#admin(() =>
      this.kafka.admin.resetGroupOffsets(groupId, topics, {
        offsets: plan.map(({ topic, partition, after }) => ({ topic, partition, offset: after })),
      }),
    );
    this.kafka.logger.info('consumer group reset from the explorer', {
      group: groupId,
      partitions: plan.map((row) => `${row.topic}[${row.partition}]=${row.after}`).join(','),
    });
    return plan;
  }

  async #waitUntilEmpty(groupId: string): Promise<void> {
    const deadline = Date.now() + this.config.pauseWaitMs;
    for (;;) {
      const group = await this.#describe(groupId);
      if (group.members.length === 0) return;
      if (Date.now() >= deadline) throw stillActive(group, this.config.pauseWaitMs);
      await sleep(EMPTY_POLL_MS);
    }
  }

  #describe(groupId: string): Promise<GroupDescription> {
    return this.#admin(() => this.kafka.admin.describeGroup(groupId));
  }

  /** The admin's errors as HTTP answers. */
  async #admin<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof KafkadogError)) throw error;
      switch (error.code) {
        case 'GROUP_ACTIVE':
          throw new ApiError(
            409,
            { error: 'group_active', message: error.message },
            { cause: error },
          );
        case 'INVALID_RESET':
          throw new ApiError(
            400,
            { error: 'invalid_reset', message: error.message },
            { cause: error },
          );
        case 'UNKNOWN_TOPIC':
          throw new ApiError(
            404,
            { error: 'unknown_topic', message: error.message },
            { cause: error },
          );
        default:
          throw ApiError.unavailable('kafka_unavailable', error.message, error);
      }
    }
  }
}

function membersOf(group: GroupDescription): string {
  return group.members.map((member) => `${member.clientId}@${member.host}`).join(', ');
}

function groupActive(group: GroupDescription): ApiError {
  return new ApiError(409, {
    error: 'group_active',
    message:
      `group ${group.id} has ${group.members.length} member(s) (${membersOf(group)}): Kafka refuses ` +
      `to move a group's offsets while it has members, whose next commit would overwrite the ` +
      `reset. Send "pause": true to pause its consumers around the reset (they leave the group ` +
      `and come back from the new offsets), or pause the group first.`,
    members: group.members.length,
  });
}

function stillActive(group: GroupDescription, waitedMs: number): ApiError {
  return new ApiError(504, {
    error: 'group_still_active',
    message:
      `group ${group.id} still has ${group.members.length} member(s) after ${waitedMs} ms of ` +
      `pause: ${membersOf(group)}. A consumer that does not follow api-gateway.control.v1 (not a ` +
      `kafkadog service, e.g. a console consumer) or a service that cannot close its consumers ` +
      `holds the group; stop it and try again. The group was resumed; nothing was reset.`,
    members: membersOf(group),
  });
}
