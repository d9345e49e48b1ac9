import { Headers, topics } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import {
  factsOf,
  placedOrders,
  position,
  recordsOf,
  type Fact,
  type RecordFact,
} from '../facts.js';
import type { Scenario } from '../scenario.js';
import { check, described, judgement, singleOutcome, type Judgement } from '../verdict.js';
import { orderOf } from './orders.js';

const TOPIC = topics.orders.name;
export const POISON = '{"type":"OrderPlaced", this is not JSON';

function poisonOf(facts: readonly Fact[]): RecordFact | undefined {
  return recordsOf(facts, TOPIC).find((r) => r.invalid === 'invalid_json');
}

/** The consumer groups seen with committed offsets on the topic: its readers. */
function readersOf(facts: readonly Fact[]): string[] {
  const groups = factsOf(facts, 'offsets')
    .filter((o) => o.topic === TOPIC)
    .map((o) => o.group);
  return [...new Set(groups)].sort();
}

function lettersFor(facts: readonly Fact[], poison: RecordFact, group: string): RecordFact[] {
  return recordsOf(facts, topics.dlq.name).filter(
    (r) =>
      r.headers[Headers.dlqGroup] === group &&
      r.headers[Headers.originalTopic] === poison.topic &&
      r.headers[Headers.originalPartition] === String(poison.partition) &&
      r.headers[Headers.originalOffset] === poison.offset,
  );
}

/** The group's latest committed offset on the poison's partition, as last read. */
function committed(facts: readonly Fact[], poison: RecordFact, group: string): string | null {
  const seen = factsOf(facts, 'offsets').filter(
    (o) => o.group === group && o.topic === poison.topic && o.partition === poison.partition,
  );
  return seen.at(-1)?.committed ?? null;
}

/** Every group that reads the topic has dead-lettered the poison and moved past it. */
export function poisonHandled(facts: readonly Fact[]): boolean {
  const poison = poisonOf(facts);
  const groups = readersOf(facts);
  return (
    poison !== undefined &&
    groups.length > 0 &&
    groups.every((group) => {
      const at = committed(facts, poison, group);
      return (
        lettersFor(facts, poison, group).length > 0 &&
        at !== null &&
        BigInt(at) > BigInt(poison.offset)
      );
    })
  );
}

export function poisonPillVerdict(facts: readonly Fact[]): Judgement {
  const poison = poisonOf(facts);
  if (!poison) {
    return judgement('no poison record seen', [
      check(`a record that is not JSON on ${TOPIC}`, false, 'none seen'),
    ]);
  }
  const at = position(poison);
  const groups = readersOf(facts);
  const checks = [
    check(`a record that is not JSON on ${TOPIC}`, true, `${at}, key ${poison.key}`),
    check(
      `consumer groups reading ${TOPIC}`,
      groups.length > 0,
      groups.length > 0 ? groups.join(', ') : 'no group has committed offsets on it',
    ),
  ];
  for (const group of groups) {
    const letters = lettersFor(facts, poison, group);
    const reasons = letters.map((r) => r.headers[Headers.dlqReason]);
    checks.push(
      check(
        `${group}: one dead letter (invalid_json) pointing at ${at}`,
        letters.length === 1 && reasons[0] === 'invalid_json',
        letters.length === 0
          ? 'none yet'
          : `${letters.map(described).join(', ')}, reason ${reasons.join(', ')}`,
      ),
    );
    const offset = committed(facts, poison, group);
    checks.push(
      check(
        `${group}: committed offset moved past ${at}`,
        offset !== null && BigInt(offset) > BigInt(poison.offset),
        `committed ${offset ?? 'nothing'} on ${poison.topic}[${poison.partition}]`,
      ),
    );
  }
  const health = new Map(factsOf(facts, 'health').map((h) => [h.service, h]));
  const down = [...health.values()].filter((h) => !h.up);
  checks.push(
    check(
      'every service still healthy',
      health.size > 0 && down.length === 0,
      health.size === 0
        ? 'not asked yet'
        : down.length === 0
          ? `${health.size} services answer GET /health with 200`
          : down.map((h) => `${h.service}: ${h.detail}`).join('; '),
    ),
  );
  const [after] = placedOrders(facts, 'after');
  checks.push(
    after
      ? {
          ...singleOutcome(facts, after.orderId, 'OrderCompleted'),
          name: 'the next order completes',
        }
      : check('the next order completes', false, 'not placed yet'),
  );
  const handled = groups.filter((g) => lettersFor(facts, poison, g).length > 0).length;
  return judgement(
    `poison at ${at}: dead-lettered by ${handled} of ${groups.length} groups, each moved on`,
    checks,
  );
}

export const poisonPill: Scenario = {
  id: 'poison-pill',
  title: 'Poison pill: a record no consumer can read',
  concept:
    'Kafka stores bytes; it does not check that a record is valid JSON or a known event. A ' +
    'consumer that crashes on such a record, restarts, reads it again and crashes again is stuck ' +
    'on it forever: a poison pill. Each consumer group here parses what it reads, sends what ' +
    'does not parse to the dead-letter topic with the reason and where it came from, commits past ' +
    'it and goes on.',
  summary:
    'Writes a record that is not JSON to orders.v1, then expects one dead letter per consumer ' +
    'group that reads the topic (reason invalid_json, pointing at its offset), each group committed ' +
    'past it, every service healthy, and a next order completing.',
  faults: [],
  async run(run) {
    await run.observeGroupOffsets(TOPIC);
    const written = await run.produceRaw(TOPIC, `poison-${randomUUID()}`, POISON);
    run.log(`wrote ${JSON.stringify(POISON)} to ${TOPIC}[${written.partition}]@${written.offset}`);
    await run.waitFor(
      'a dead letter from every group that reads the topic, and its offset past the poison',
      poisonHandled,
      run.waitMs,
      () => run.observeGroupOffsets(TOPIC),
    );
    await run.observeHealth();
    const orderId = await run.placeOrder(
      orderOf([{ productId: 'sku-usb-hub', quantity: 1 }]),
      'after',
    );
    run.log(`placed order ${orderId} after the poison`);
  },
  verdict: poisonPillVerdict,
};
