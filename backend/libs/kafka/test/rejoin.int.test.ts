// The Kafka client's classic group membership under a rejoin asked for while another is under
// way: what the patch (patches/@platformatic+kafka+2.12.1.patch) fixes. Without it, a rejoin asked
// for by a failed commit or heartbeat while the member was between its JoinGroup and SyncGroup
// sent a second JoinGroup; from the group's leader that starts another rebalance, whose stale
// heartbeats ask for another: two members of a service rebalanced every heartbeat for good.
// And our consumer loop, whose commit the patched client now refuses in that case.
import { tracingChannel } from 'node:diagnostics_channel';
import { Consumer } from '@platformatic/kafka';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { clientConnection } from '../src/connection/index.js';
import { createEventConsumer } from '../src/consumer/index.js';
import { createProducer } from '../src/producer/index.js';
import {
  createTestTopic,
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
  type TestTopics,
} from './fixtures.js';
import { waitFor } from '../../../../test/support/wait.js';
import { sleep } from '../src/retry/backoff.js';

type Member = Consumer<Buffer, Buffer, Buffer, Buffer>;
interface GroupOperation {
  readonly client: unknown;
  readonly operation: string;
}

const HEARTBEAT_MS = 300;
// The client reports each group operation, each request it sends and each offset commit here.
const groupOperations = tracingChannel('plt:kafka:consumer:group');
const requests = tracingChannel('plt:kafka:connections:api');
const commits = tracingChannel('plt:kafka:consumer:commits');
const JOIN_GROUP_API = 11;

/** A bare member of a group (no stream), that leaves it when `closers` run. */
function groupMember(
  closers: (() => Promise<unknown>)[],
  options: { groupId: string; name: string; heartbeatMs?: number; sessionMs?: number },
): Member {
  const client: Member = new Consumer({
    clientId: options.name,
    groupId: options.groupId,
    ...clientConnection(testBrokers()),
    autocommit: false,
    sessionTimeout: options.sessionMs ?? 6_000,
    heartbeatInterval: options.heartbeatMs ?? HEARTBEAT_MS,
  });
  closers.push(() => client.close(true));
  return client;
}

describe('a rejoin asked for while the member is already rejoining', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  const member = (groupId: string, name: string, heartbeatMs = HEARTBEAT_MS): Member =>
    groupMember(closers, { groupId, name, heartbeatMs });

  /** A leader and a follower that both finished joining; `joins()` counts the joins since. */
  const settledGroup = async (followerHeartbeatMs = HEARTBEAT_MS) => {
    const groupId = uniqueName('rejoin.group');
    const leader = member(groupId, 'rejoin-leader');
    const follower = member(groupId, 'rejoin-follower', followerHeartbeatMs);
    // The generations each member finished joining (JoinGroup and SyncGroup), in order.
    const joined = new Map<Member, number[]>([
      [leader, []],
      [follower, []],
    ]);
    for (const [client, generations] of joined) {
      client.on('consumer:group:join', ({ generationId }: { generationId: number }) =>
        generations.push(generationId),
      );
    }
    const bothJoined = (generation: number) =>
      waitFor(
        () => [...joined.values()].every((generations) => generations.at(-1) === generation),
        {
          what: `both members to finish joining generation ${generation}`,
        },
      );
    await leader.joinGroup({});
    // The follower's join waits for the leader, who rejoins at its next heartbeat.
    await follower.joinGroup({});
    const settled = follower.generationId;
    await bothJoined(settled);
    return {
      groupId,
      leader,
      follower,
      settled,
      bothJoined,
      joins: () => [...joined.values()].flat().length,
    };
  };

  it('shares the join under way instead of starting another rebalance', async () => {
    const { leader, follower, settled, bothJoined, joins } = await settledGroup();

    // The leader rejoins (a rebalance: the follower rejoins at its next heartbeat). When its
    // JoinGroup has been answered and its SyncGroup starts, a rejoin is asked for again, as a
    // commit refused for the old generation does.
    let asked: Promise<unknown> | undefined;
    const onStart = (message: unknown) => {
      const operation = message as GroupOperation;
      if (operation.client !== leader || operation.operation !== 'syncGroup' || asked) return;
      // Once the JoinGroup's answer has been handled (a rejoin asked for during that is merged
      // with the JoinGroup by the client itself), while the SyncGroup is on its way.
      asked = new Promise((resolve) => setImmediate(resolve)).then(() => leader.joinGroup({}));
    };
    groupOperations.start.subscribe(onStart);
    try {
      await leader.joinGroup({});
    } finally {
      groupOperations.start.unsubscribe(onStart);
    }
    expect(asked).toBeDefined();
    await asked;
    // One rebalance, not two.
    const rebalanced = leader.generationId;
    expect(rebalanced).toBe(settled + 1);
    await bothJoined(rebalanced);

    // Ten heartbeats later the group is still on that generation.
    const before = joins();
    await sleep(10 * HEARTBEAT_MS);
    expect(joins()).toBe(before);
    expect([leader.generationId, follower.generationId]).toEqual([rebalanced, rebalanced]);
  });

  it('refuses a commit answered for the generation it left, without a rejoin or a retry', async () => {
    const topic = await createTestTopic(brokers, 'rejoin', 1);
    // The follower rejoins up to 1 s after a rebalance starts: that long the leader's JoinGroup
    // waits at the coordinator, and what the leader sends behind it waits with it.
    const followerHeartbeatMs = 1_000;
    const { groupId, leader, follower, settled, bothJoined, joins } =
      await settledGroup(followerHeartbeatMs);

    const joinSent = new Promise<void>((resolve) => {
      const onSend = (message: unknown) => {
        if ((message as { apiKey?: number }).apiKey !== JOIN_GROUP_API) return;
        requests.start.unsubscribe(onSend);
        resolve();
      };
      requests.start.subscribe(onSend);
    });
    const rejoin = leader.joinGroup({});
    await joinSent;
    // Sent under the generation being left, answered once the rebalance made the next one.
    const commit = leader.commit({
      offsets: [{ topic, partition: 0, offset: 1n, leaderEpoch: -1 }],
    });
    const refused = commit.then(
      () => undefined,
      (error: unknown) => error,
    );
    await rejoin;
    expect(String(await refused)).toMatch(/generation/i);
    const rebalanced = leader.generationId;
    expect(rebalanced).toBe(settled + 1);
    await bothJoined(rebalanced);

    // Not committed under the new generation either, and no rebalance follows.
    const before = joins();
    await sleep(2 * followerHeartbeatMs + HEARTBEAT_MS);
    expect(joins()).toBe(before);
    expect([leader.generationId, follower.generationId]).toEqual([rebalanced, rebalanced]);
    const offsets = await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [topic]));
    expect(offsets.map((row) => row.committed)).toEqual([null]);
  });
});

describe('a consumer loop whose offset commit is refused because the group rebalanced', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<unknown>)[] = [];
  let topics: TestTopics | undefined;
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => deleteTestTopics(brokers, topics));

  it('reads on as after a rebalance, not as after a broken stream (which joins anew)', async () => {
    topics = await createTestTopics(brokers, 'refused');
    const specs = topics;
    const groupId = uniqueName('refused.group');
    const producer = createProducer({ brokers, clientId: 'test-refused', logger: memoryLogger() });
    closers.push(() => producer.close());
    const logger = memoryLogger();
    const handled = new Set<string>();
    const loop = createEventConsumer({
      brokers,
      groupId,
      clientId: 'refused-loop',
      topics: [specs.orders],
      producer,
      handler: (event) => {
        handled.add(event.id);
      },
      retry: false,
      dlqTopic: specs.dlq.name,
      retryTopic: specs.retry.name,
      logger,
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: HEARTBEAT_MS,
    });
    await loop.start();
    closers.push(() => loop.close());
    // A member that rejoins up to 2 s after a rebalance starts: that long the loop's JoinGroup
    // waits at the coordinator, and the offset commits it sends meanwhile wait behind it, to be
    // refused for the generation the rebalance ended.
    const slow = groupMember(closers, {
      groupId,
      name: 'refused-slow',
      heartbeatMs: 2_000,
      sessionMs: 10_000,
    });
    await slow.joinGroup({});

    const refusals: string[] = [];
    const onCommitError = (message: unknown) => {
      const { client, error } = message as { client?: { clientId?: string }; error?: unknown };
      if (client?.clientId === 'refused-loop') refusals.push(String(error));
    };
    commits.error.subscribe(onCommitError);
    const published: string[] = [];
    let publishing = true;
    const publishingDone = (async () => {
      while (publishing) {
        const events = Array.from({ length: 5 }, () => orderPlaced());
        await Promise.all(
          events.map((event) => producer.publish(event, { topic: specs.orders.name })),
        );
        published.push(...events.map((event) => event.id));
        await sleep(50);
      }
    })();
    try {
      // A third member joins right after the slow one's heartbeat: a rebalance that waits for it.
      await new Promise((resolve) => slow.once('consumer:heartbeat:end', resolve));
      const third = groupMember(closers, { groupId, name: 'refused-third' });
      await third.joinGroup({});
      await waitFor(() => refusals.length > 0, { what: "a refusal of the loop's commit" });
    } finally {
      publishing = false;
      await publishingDone;
      commits.error.unsubscribe(onCommitError);
    }
    expect(refusals[0]).toMatch(/generation|rebalanc/i);
    // How the loop went on once it met the refusal: as after a rebalance, or as after a stream
    // that broke (closed and reopened, which joins the group anew). A refused commit may also be
    // the one the loop flushes as it leaves its stream for the rebalance: nothing then to react to.
    const reaction = await waitFor(
      () =>
        logger.lines.find(
          (line) =>
            line.message === 'message stream failed, reopening it' ||
            /offset commit refused/.test(String(line.fields?.reason)),
        ),
      { what: 'the loop to go on after the refused commit', timeoutMs: 10_000 },
    ).catch(() => undefined);
    expect(reaction?.message ?? 'the commit flushed on leaving the stream').not.toBe(
      'message stream failed, reopening it',
    );
    await waitFor(() => published.every((id) => handled.has(id)), { what: 'every record' });
    const warnings = logger.lines.filter((line) => line.level !== 'info').map((l) => l.message);
    expect(warnings).not.toContain('message stream failed, reopening it');
  });
});
