import { topics } from '@kafkadog/contracts';
import { factsOf, placedOrders, recordsOf, type Fact, type OffsetsFact } from '../facts.js';
import type { Scenario } from '../scenario.js';
import { check, judgement, outcomesOf, plural, type Judgement } from '../verdict.js';
import { orderOf } from './orders.js';

const GROUP = 'notification-service';
const TOPIC = topics.outcomes.name;
export const DUPLICATES = 'kafkadog_duplicates_suppressed_total';
const LABELS = { topic: TOPIC, group: GROUP };

/** The group's samples on the topic, per partition, in the order they were read. */
function samplesByPartition(facts: readonly Fact[]): Map<number, OffsetsFact[]> {
  const by = new Map<number, OffsetsFact[]>();
  for (const o of factsOf(facts, 'offsets')) {
    if (o.group === GROUP && o.topic === TOPIC)
      by.set(o.partition, [...(by.get(o.partition) ?? []), o]);
  }
  return by;
}

const offset = (o: OffsetsFact | undefined) => BigInt(o?.committed ?? '0');
/** Nothing left to read (a partition never written to has no committed offset). */
const atEnd = (o: OffsetsFact | undefined) => o !== undefined && offset(o) === BigInt(o.logEnd);

/** Where the group stood before its committed offsets went back, and how far back they went. */
export function rewind(facts: readonly Fact[]) {
  let offsets = 0n;
  let rewoundAt: number | undefined;
  let caughtUp = true;
  let standing: number | undefined;
  const ranges: { partition: number; from: string; to: string }[] = [];
  for (const [partition, samples] of samplesByPartition(facts)) {
    const drop = samples.findIndex((s, i) => i > 0 && offset(s) < offset(samples[i - 1]));
    if (drop < 0) continue;
    const before = samples[drop - 1] as OffsetsFact;
    const lowest = samples
      .slice(drop)
      .reduce((low, s) => (offset(s) < low ? offset(s) : low), offset(before));
    offsets += offset(before) - lowest;
    ranges.push({ partition, from: lowest.toString(), to: offset(before).toString() });
    rewoundAt = Math.min(rewoundAt ?? Infinity, (samples[drop] as OffsetsFact).at);
    standing = Math.max(standing ?? 0, before.at);
    const last = samples.at(-1) as OffsetsFact;
    if (offset(last) < offset(before) || !atEnd(last)) caughtUp = false;
  }
  // Offsets are records only where no transaction wrote (exactly-once: each commit marker takes
  // one): the records counted in those ranges, once the run has counted them.
  const counted = factsOf(facts, 'recordCount')
    .filter((f) => f.topic === TOPIC && rewoundAt !== undefined && f.at >= rewoundAt)
    .at(-1);
  return {
    replayed: counted?.records ?? Number(offsets),
    ranges,
    rewoundAt,
    standing,
    caughtUp: rewoundAt !== undefined && caughtUp,
  };
}

export function replayVerdict(facts: readonly Fact[]): Judgement {
  const { replayed, rewoundAt, standing, caughtUp } = rewind(facts);
  const reset = rewoundAt !== undefined && standing !== undefined;
  // The counter as read before the reset, and as read last.
  const counters = factsOf(facts, 'counter').filter(
    (c) => c.service === GROUP && c.name === DUPLICATES,
  );
  const before = counters.filter((c) => reset && c.at < rewoundAt).at(-1);
  const after = counters.at(-1);
  const rose = before && after && after !== before ? after.value - before.value : undefined;
  const outcomes = recordsOf(facts, TOPIC);
  const twice = [...new Set(outcomes.map((o) => o.orderId))].filter(
    (id) => outcomes.filter((o) => o.orderId === id).length > 1,
  );
  const [order] = placedOrders(facts, 'before');
  // The state record that marks an order notified is written before its email is sent.
  const notified = recordsOf(facts, topics.notificationState.name).filter(
    (r) => reset && r.timestamp > standing,
  );
  const checks = [
    check(
      `${GROUP} committed offsets on ${TOPIC} moved back`,
      reset && replayed > 0,
      reset ? `${plural(replayed, 'record')} to read again` : 'no reset seen yet',
    ),
    check(
      `${GROUP} read them all again`,
      caughtUp,
      caughtUp ? 'committed offset = log end on every partition' : 'not yet',
    ),
    check(
      'duplicates suppressed rose by the replayed records',
      rose === replayed && replayed > 0,
      rose === undefined
        ? 'counter not read before and after'
        : `${DUPLICATES} rose by ${rose}, ${replayed} replayed`,
    ),
    check(
      'no order got a second outcome',
      order !== undefined && outcomesOf(facts, order.orderId).length === 1 && twice.length === 0,
      twice.length > 0
        ? `two outcomes: ${twice.join(', ')}`
        : `${plural(outcomes.length, 'outcome')} written during the run, one per order`,
    ),
    check(
      `no new email (nothing written to ${topics.notificationState.name} after the reset)`,
      reset && notified.length === 0,
      `${plural(notified.length, 'record')} after the reset`,
    ),
  ];
  const summary = reset
    ? `${plural(replayed, 'outcome')} replayed by ${GROUP}, ${rose ?? '?'} duplicates suppressed, ${notified.length} emails sent again`
    : `waiting for ${GROUP} to be reset`;
  return judgement(summary, checks);
}

export const replay: Scenario = {
  id: 'replay',
  title: 'Replay: read history again, change nothing',
  concept:
    'A topic keeps its records after they are read; a consumer group only keeps a position in ' +
    'it, the committed offset. Moving that offset back makes the group read history again. ' +
    'Kafka refuses to move the offsets of a group that has members, so the group is paused ' +
    'first. Because every service remembers which events it applied, the replayed events are ' +
    'recognised and suppressed: counters rise, no order gets a second outcome, no email goes out twice.',
  summary:
    'Places an order and waits for its email, then pauses the notification-service group, resets ' +
    'it to the earliest offsets of orders.outcome.v1 and resumes it. Expects its ' +
    'duplicates-suppressed counter to rise by the replayed outcomes, no second outcome and no new email.',
  faults: [],
  async run(run) {
    const orderId = await run.placeOrder(
      orderOf([{ productId: 'sku-mouse', quantity: 1 }]),
      'before',
    );
    run.log(`placed order ${orderId}, so that there is history to replay`);
    const observe = () => run.observeGroupOffsets(TOPIC);
    // At the end as read after the email: offsets read before it may predate the order's outcome,
    // and the reset would then seem to replay one record fewer, and the email to come after it.
    const settledSince = (facts: readonly Fact[], time: number) =>
      [...samplesByPartition(facts).values()].every((samples) => {
        const last = samples.at(-1);
        return last !== undefined && last.at > time && atEnd(last);
      });
    await run.waitFor(
      `the email of order ${orderId} and ${GROUP} at the end of ${TOPIC}`,
      (facts) => {
        const [email] = recordsOf(facts, topics.notificationState.name, orderId);
        return (
          email !== undefined &&
          samplesByPartition(facts).size > 0 &&
          settledSince(facts, email.timestamp)
        );
      },
      run.waitMs,
      observe,
    );
    await run.observeCounter(GROUP, DUPLICATES, LABELS);
    await run.pauseGroup(GROUP);
    run.log(`paused ${GROUP}: its consumers leave the group`);
    await run.waitFor(
      `${GROUP} to have no members (Kafka moves only an empty group's offsets)`,
      (facts) => factsOf(facts, 'group').at(-1)?.members.length === 0,
      run.waitMs,
      () => run.observeGroup(GROUP),
    );
    await run.resetToEarliest(GROUP, [TOPIC]);
    await observe();
    await run.observeRecords(TOPIC, rewind(run.facts()).ranges);
    run.log(`reset ${GROUP} to the earliest offsets of ${TOPIC}`);
    await run.resumeGroup(GROUP);
    run.log(`resumed ${GROUP}: it reads ${TOPIC} again from the start`);
    await run.waitFor(
      `${GROUP} to read ${TOPIC} again to its end`,
      (facts) => rewind(facts).caughtUp,
      run.waitMs,
      observe,
    );
    await run.waitFor(
      'the duplicates-suppressed counter to count the replay',
      (facts) => replayVerdict(facts).passed,
      run.waitMs,
      () => run.observeCounter(GROUP, DUPLICATES, LABELS),
    );
  },
  verdict: replayVerdict,
};
