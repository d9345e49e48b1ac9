import { Admin } from '@platformatic/kafka';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { topics as registry } from '@kafkadog/contracts';
import { createEventConsumer, type EventConsumer } from '../src/consumer/index.js';
import { createProducer } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
  type MemoryLogger,
  type TestTopics,
} from './fixtures.js';

describe('scaling a consumer group', () => {
  const brokers = testBrokers();
  let topics: TestTopics | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => deleteTestTopics(brokers, topics));

  it('shares the partitions between members, logs the rebalances, and loses nothing when one leaves', async () => {
    topics = await createTestTopics(brokers, 'scale');
    const groupId = uniqueName('scale.group');
    const producer = createProducer({ brokers, clientId: 'test-scale', logger: memoryLogger() });
    closers.push(() => producer.close());
    const handled = new Map<string, string[]>();
    const member = (name: string): { consumer: EventConsumer; logger: MemoryLogger } => {
      const logger = memoryLogger();
      const consumer = createEventConsumer({
        brokers,
        groupId,
        clientId: name,
        topics: [topics!.orders],
        producer,
        handler: (event) => {
          handled.set(event.id, [...(handled.get(event.id) ?? []), name]);
        },
        retry: false,
        dlqTopic: topics!.dlq.name,
        retryTopic: topics!.retry.name,
        logger,
      });
      return { consumer, logger };
    };
    const describeMembers = async () =>
      (await withAdmin(brokers, (admin) => admin.describeGroup(groupId))).members;

    const a = member('member-a');
    await a.consumer.start();
    closers.push(() => a.consumer.close());
    const b = member('member-b');
    await b.consumer.start();
    closers.push(() => b.consumer.close());

    // Kafka's view: two members, the three partitions split between them.
    const members = await waitFor(
      async () => {
        const current = await describeMembers();
        return current.length === 2 && current.every((m) => m.assignments.length > 0) && current;
      },
      { what: 'both members to hold partitions' },
    );
    const assigned = members.flatMap((m) => m.assignments.flatMap((a) => a.partitions));
    expect(assigned.sort()).toEqual([0, 1, 2]);

    const publish = async (count: number) => {
      const events = Array.from({ length: count }, () => orderPlaced());
      for (const event of events) await producer.publish(event, { topic: topics!.orders.name });
      return events.map((event) => event.id);
    };
    const firstBatch = await publish(30);
    await waitFor(() => firstBatch.every((id) => handled.has(id)), { what: 'the first batch' });
    const handlers = new Set(firstBatch.flatMap((id) => handled.get(id) ?? []));
    expect(handlers).toEqual(new Set(['member-a', 'member-b']));

    await b.consumer.close();
    await waitFor(async () => (await describeMembers()).length === 1, { what: 'b to leave' });
    const secondBatch = await publish(30);
    await waitFor(() => secondBatch.every((id) => handled.has(id)), { what: 'the second batch' });
    expect(new Set(secondBatch.flatMap((id) => handled.get(id) ?? []))).toEqual(
      new Set(['member-a']),
    );

    const messages = (logger: MemoryLogger) => logger.lines.map((line) => line.message);
    expect(messages(a.logger)).toContain('consumer group is rebalancing');
    expect(messages(a.logger).filter((m) => m === 'joined consumer group').length).toBeGreaterThan(
      1,
    );
    expect(messages(b.logger)).toContain('joined consumer group');
    expect(messages(b.logger)).toContain('left consumer group');
  });

  it('never moves the group offset back when a partition changed hands mid-batch', async () => {
    const specs = await createTestTopics(brokers, 'midflight');
    closers.push(() => deleteTestTopics(brokers, specs));
    const groupId = uniqueName('midflight.group');
    const producer = createProducer({
      brokers,
      clientId: 'test-midflight',
      logger: memoryLogger(),
    });
    closers.push(() => producer.close());
    const events = Array.from({ length: 30 }, () => orderPlaced());
    for (const event of events) await producer.publish(event, { topic: specs.orders.name });

    const handled: { id: string; by: string }[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    closers.push(() => Promise.resolve(release()));
    let inFlight: { id: string; partition: number } | undefined;
    const member = (name: string, logger: MemoryLogger) =>
      createEventConsumer({
        brokers,
        groupId,
        clientId: name,
        topics: [specs.orders],
        producer,
        handler: async (event, meta) => {
          if (name === 'member-a' && !inFlight) {
            inFlight = { id: event.id, partition: meta.partition };
            await released;
          }
          handled.push({ id: event.id, by: name });
        },
        retry: false,
        dlqTopic: specs.dlq.name,
        retryTopic: specs.retry.name,
        logger,
      });
    const committedAll = async () =>
      (await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [specs.orders.name]))).every(
        (row) => row.committed === row.logEnd,
      );

    // a blocks in the handler of its first record.
    const aLog = memoryLogger();
    const a = member('member-a', aLog);
    await a.start();
    closers.push(() => a.close());
    const blocked = await waitFor(() => inFlight, { what: 'a handler in flight' });

    // An operator removes a from the group (as a session timeout would): b takes every
    // partition, handles a's record again and everything else, and commits to the end.
    const [first] = (await withAdmin(brokers, (admin) => admin.describeGroup(groupId))).members;
    const raw = new Admin({ clientId: 'test-kick', bootstrapBrokers: brokers });
    await raw.removeMembersFromConsumerGroup({ groupId, members: [{ memberId: first!.memberId }] });
    await raw.close();
    const b = member('member-b', memoryLogger());
    await b.start();
    closers.push(() => b.close());
    await waitFor(committedAll, { what: 'b to commit every partition to its end' });
    expect(handled.map(({ id, by }) => [id, by])).toContainEqual([blocked.id, 'member-b']);

    // a notices on its next heartbeat and rejoins, in a new generation, maybe owning the
    // partition again. Only then does its handler return: committing that record now would
    // move the group's offset back to it.
    const joins = () => aLog.lines.filter((line) => line.message === 'joined consumer group');
    await waitFor(() => joins().length === 2, { what: 'a to rejoin' });
    release();
    await waitFor(() => handled.some(({ id, by }) => id === blocked.id && by === 'member-a'));
    await a.close();

    expect(await committedAll()).toBe(true);
    // b handled every record once; a finished its batch (those records twice, at least once)
    // but committed none of it.
    const byB = handled.filter(({ by }) => by === 'member-b').map(({ id }) => id);
    expect(byB).toHaveLength(events.length);
    expect(new Set(byB)).toEqual(new Set(events.map((e) => e.id)));
    expect(aLog.lines.map((line) => line.message)).toContain(
      'partition changed hands during processing; not committing',
    );
  });

  it('gives partition p of every topic to the same member (an order meets one member)', async () => {
    const specs = await createTestTopics(brokers, 'copart');
    const payments = { ...registry.payments, name: uniqueName('copart.payments') };
    await withAdmin(brokers, (admin) => admin.ensureTopics([payments]));
    closers.push(async () => {
      await deleteTestTopics(brokers, specs);
      await withAdmin(brokers, (admin) => admin.deleteTopics([payments.name]));
    });
    const groupId = uniqueName('copart.group');
    const producer = createProducer({ brokers, clientId: 'test-copart', logger: memoryLogger() });
    closers.push(() => producer.close());
    // Two members: the client's default (round robin over all partitions) would give
    // orders[0] to one and payments[0] to the other.
    for (const name of ['member-a', 'member-b']) {
      const consumer = createEventConsumer({
        brokers,
        groupId,
        clientId: name,
        topics: [specs.orders, payments],
        producer,
        handler: () => {},
        retry: false,
        dlqTopic: specs.dlq.name,
        retryTopic: specs.retry.name,
        logger: memoryLogger(),
      });
      await consumer.start();
      closers.push(() => consumer.close());
    }

    const members = await waitFor(
      async () => {
        const { members } = await withAdmin(brokers, (admin) => admin.describeGroup(groupId));
        const assigned = members.flatMap((m) => m.assignments.flatMap((a) => a.partitions));
        return members.length === 2 && assigned.length === 6 && members;
      },
      { what: 'two members holding the six partitions' },
    );
    for (const member of members) {
      const byTopic = new Map(member.assignments.map((a) => [a.topic, [...a.partitions].sort()]));
      expect(byTopic.get(specs.orders.name)?.length).toBeGreaterThan(0);
      expect(byTopic.get(payments.name)).toEqual(byTopic.get(specs.orders.name));
    }
  });
});
