import { causedBy, topics, type EventOf, type KafkadogEvent } from '@kafkadog/contracts';
import {
  counterValue,
  createAdmin,
  createEventConsumer,
  createKafkaMetrics,
  createProducer,
  partitionFor,
  silentLogger,
  type EventConsumer,
  type KafkaAdmin,
} from '@kafkadog/kafka';
import { createOrderProcessor, type OrderProcessor } from '@kafkadog/service';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uniqueName } from '../../../../test/support/kafka.js';
import { orderPlaced } from '../../../libs/kafka/test/fixtures.js';
import { waitFor } from '../../../../test/support/wait.js';
import { call, eventsIn, readTopic, useGateway } from './gateway.js';

// Short, so that the test of a group that never empties does not wait the default 30 s; still
// far longer than a processor takes to close its consumers.
process.env.GROUP_PAUSE_WAIT_MS = '8000';

type Input = EventOf<'OrderPlaced'>;
const State = z.object({ placed: z.number().int() });

interface ResetAnswer {
  groupId: string;
  dryRun: boolean;
  applied: boolean;
  paused?: boolean;
  partitions: {
    topic: string;
    partition: number;
    before: string | null;
    after: string;
    records: number;
  }[];
  command: string;
}

function orderIdOn(partition: number): string {
  for (;;) {
    const orderId = randomUUID();
    if (partitionFor(orderId, topics.orders.partitions) === partition) return orderId;
  }
}

describe('api-gateway consumer group pause, resume and reset (real broker)', () => {
  const gateway = useGateway();
  const { brokers } = gateway;
  const metrics = createKafkaMetrics();
  const orders = { ...topics.orders, name: uniqueName('control.orders') };
  const state = { ...topics.paymentState, name: uniqueName('control.state') };
  const retryTopic = { ...topics.retry, name: uniqueName('control.retry') };
  const dlqTopic = { ...topics.dlq, name: uniqueName('control.dlq') };
  const groupId = uniqueName('control.group');
  const producer = createProducer({ brokers, clientId: 'control-test', logger: silentLogger });
  const clients = { brokers, producer, metrics, logger: silentLogger };
  const applied: string[] = [];
  let admin: KafkaAdmin;
  let processor: OrderProcessor<z.infer<typeof State>, Input>;
  let stranger: EventConsumer | undefined;
  // One order on each partition at least: a shift needs a committed offset on every partition.
  const placed = [0, 1, 2, 0].map((partition) => orderPlaced(orderIdOn(partition)));

  beforeAll(async () => {
    admin = createAdmin({ brokers, logger: silentLogger });
    await admin.ensureTopics([orders, state, retryTopic, dlqTopic]);
    processor = createOrderProcessor(clients, {
      groupId,
      topics: [orders],
      accepts: (event: KafkadogEvent): event is Input => event.type === 'OrderPlaced',
      // Not idempotent on purpose: only the processor's applied ids keep a replay from a second
      // effect.
      decider: {
        initialState: { placed: 0 },
        decide: (_state, input) => [
          causedBy(input, 'PaymentAuthorized', { paymentId: randomUUID(), amount: 1 }),
        ],
        evolve: (current, event) =>
          event.type === 'OrderPlaced' ? { placed: current.placed + 1 } : current,
      },
      stateTopic: state,
      stateSchema: State,
      effect: (_output, cause) => {
        applied.push(cause.id);
        return Promise.resolve();
      },
      retryTopic: retryTopic.name,
      dlqTopic: dlqTopic.name,
    });
    await processor.start();
    for (const event of placed) await producer.publish(event, { topic: orders.name });
    await waitFor(() => applied.length === placed.length, { what: 'the orders applied' });
    await waitFor(
      async () =>
        (await admin.groupOffsets(groupId)).reduce((sum, row) => sum + Number(row.committed), 0) ===
        placed.length,
      { what: 'the offsets committed' },
    );
  });

  afterAll(async () => {
    await stranger?.close();
    await processor?.close();
    await producer.close();
    await admin?.deleteTopics([orders.name, state.name, retryTopic.name, dlqTopic.name]);
    await admin?.close();
  });

  const reset = (id: string, body: unknown) =>
    call<ResetAnswer & { error?: string; message?: string; issues?: { field: string }[] }>(
      `${gateway.url}/explorer/groups/${encodeURIComponent(id)}/reset`,
      { method: 'POST', json: body },
    );
  const members = async (id: string) => (await admin.describeGroup(id)).members.length;
  const committed = async () =>
    (await admin.groupOffsets(groupId)).map((row) => `${row.partition}:${row.committed}`);

  it('a dry run shows before and after and the tool command, and moves nothing', async () => {
    const before = await committed();
    const answer = await reset(groupId, { to: 'earliest', dryRun: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ groupId, dryRun: true, applied: false });
    expect(answer.body.partitions).toHaveLength(orders.partitions);
    expect(answer.body.partitions.every((row) => row.after === '0')).toBe(true);
    expect(
      answer.body.partitions.map((row) => Number(row.before ?? 0)).reduce((a, b) => a + b),
    ).toBe(placed.length);
    // No transaction wrote here: every offset moved over is a record.
    expect(answer.body.partitions.map((row) => row.records).reduce((a, b) => a + b)).toBe(
      placed.length,
    );
    expect(answer.body.command).toBe(
      `kafka-consumer-groups.sh --bootstrap-server ${brokers.join(',')} --group ${groupId} ` +
        `--reset-offsets --to-earliest --topic ${orders.name} --dry-run`,
    );
    const shifted = await reset(groupId, { to: { shiftBy: -100 }, dryRun: true });
    expect(shifted.body.partitions.every((row) => row.after === '0')).toBe(true);
    expect(shifted.body.command).toContain('--shift-by -100');
    expect(await committed()).toEqual(before);
  });

  it('refuses a reset of a group with members without pause (409), and a bad body (400)', async () => {
    const before = await committed();
    const refused = await reset(groupId, { to: 'earliest', dryRun: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('group_active');
    expect(refused.body.message).toMatch(/refuses to move .* while it has members/);
    expect(refused.body.message).toContain('"pause": true');

    const invalid = await reset(groupId, { to: { shiftBy: 1.5 }, dryRun: false });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues?.map((issue) => issue.field)).toEqual(['to']);
    expect(await committed()).toEqual(before);
  });

  it('with pause, the group empties, is reset, resumes and replays: duplicates suppressed, nothing applied twice', async () => {
    const suppressed = () =>
      counterValue(metrics.duplicatesSuppressed, { topic: orders.name, group: groupId });
    const suppressedBefore = await suppressed();
    const answer = await reset(groupId, { to: 'earliest', dryRun: false, pause: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ applied: true, paused: true });
    expect(answer.body.command).toContain('--execute');

    await waitFor(async () => (await suppressed()) - suppressedBefore === placed.length, {
      what: 'every replayed order suppressed',
    });
    expect(applied.sort()).toEqual(placed.map((event) => event.id).sort());
    expect(processor.paused).toBe(false);
    expect(await members(groupId)).toBe(1);
  });

  it('pause and resume make the group leave and come back', async () => {
    const pause = await call(`${gateway.url}/explorer/groups/${groupId}/pause`, { method: 'POST' });
    expect(pause.status).toBe(202);
    expect(pause.body).toEqual({ groupId, paused: true });
    await waitFor(async () => (await members(groupId)) === 0, { what: 'the group to empty' });
    expect(processor.paused).toBe(true);

    const resume = await call(`${gateway.url}/explorer/groups/${groupId}/resume`, {
      method: 'POST',
    });
    expect(resume.status).toBe(202);
    expect(resume.body).toEqual({ groupId, paused: false });
    await waitFor(async () => (await members(groupId)) === 1, { what: 'the group to rejoin' });
  });

  it('answers 504 naming the member when the group never empties, and resumes it', async () => {
    // A consumer that does not follow the control topic, like a console consumer.
    const held = uniqueName('control.held');
    stranger = createEventConsumer({
      brokers,
      groupId: held,
      topics: [orders],
      producer,
      handler: () => {},
      retry: false,
      dlqTopic: dlqTopic.name,
      logger: silentLogger,
    });
    await stranger.start();
    await waitFor(async () => (await members(held)) === 1, { what: 'the stranger to join' });

    const answer = await reset(held, {
      to: 'latest',
      topics: [orders.name],
      dryRun: false,
      pause: true,
    });
    expect(answer.status).toBe(504);
    expect(answer.body.error).toBe('group_still_active');
    expect(answer.body.message).toContain(held);
    const control = eventsIn(await readTopic(brokers, topics.control.name), (event) => {
      return event.type === 'GroupPauseSet' && event.data?.groupId === held;
    });
    const pauses = control.map(
      (record) =>
        (JSON.parse(record.value!.toString()) as { data: { paused: boolean } }).data.paused,
    );
    expect(pauses).toEqual([true, false]);
  });

  // Found by the contract fuzzing: the pause and the resume were written before the topics were
  // checked, so a refused reset (404) still wrote two records to the control topic.
  it('refuses a reset with pause of unknown topics before pausing: nothing written', async () => {
    const untouched = uniqueName('control.untouched');
    const answer = await reset(untouched, {
      to: 'earliest',
      topics: [uniqueName('no.such.topic')],
      dryRun: false,
      pause: true,
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe('unknown_topic');
    const control = eventsIn(await readTopic(brokers, topics.control.name), (event) => {
      return event.type === 'GroupPauseSet' && event.data?.groupId === untouched;
    });
    expect(control).toEqual([]);
  });
});
