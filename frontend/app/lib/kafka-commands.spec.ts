import { describe, expect, it } from 'vitest';
import {
  bootstrapOf,
  consumeCommand,
  describeGroupCommand,
  describeTopicCommand,
  produceCommand,
  resetOffsetsCommand,
  shellQuote,
  topicConfigCommand,
} from './kafka-commands';

const bootstrap = '127.0.0.1:9092';

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('orders.v1')).toBe('orders.v1');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });
});

describe('kafka-topics.sh', () => {
  it('describes one topic', () => {
    expect(describeTopicCommand(bootstrap, 'orders.v1')).toBe(
      'kafka-topics.sh --bootstrap-server 127.0.0.1:9092 --describe --topic orders.v1',
    );
  });

  it('describes every topic when none is named', () => {
    expect(describeTopicCommand(bootstrap)).toBe(
      'kafka-topics.sh --bootstrap-server 127.0.0.1:9092 --describe',
    );
  });

  it('shows the configs set on a topic with kafka-configs.sh', () => {
    expect(topicConfigCommand(bootstrap, 'orders.v1')).toBe(
      'kafka-configs.sh --bootstrap-server 127.0.0.1:9092 --describe --entity-type topics --entity-name orders.v1',
    );
  });
});

describe('kafka-console-consumer.sh', () => {
  const print =
    '--property print.partition=true --property print.offset=true --property print.timestamp=true --property print.key=true --property print.headers=true';

  it('reads a partition from an offset', () => {
    expect(
      consumeCommand(bootstrap, {
        topic: 'orders.v1',
        partition: 2,
        start: { from: 'offset', offset: '42' },
        maxMessages: 50,
      }),
    ).toBe(
      `kafka-console-consumer.sh --bootstrap-server 127.0.0.1:9092 --topic orders.v1 --partition 2 --offset 42 --max-messages 50 ${print}`,
    );
  });

  it('reads a partition from its earliest or latest offset', () => {
    expect(
      consumeCommand(bootstrap, { topic: 't', partition: 0, start: { from: 'earliest' } }),
    ).toContain('--partition 0 --offset earliest');
    expect(
      consumeCommand(bootstrap, { topic: 't', partition: 0, start: { from: 'latest' } }),
    ).toContain('--partition 0 --offset latest');
  });

  it('reads every partition from the beginning when no partition is chosen', () => {
    const cmd = consumeCommand(bootstrap, { topic: 't', start: { from: 'earliest' } });
    expect(cmd).toContain('--topic t --from-beginning');
    expect(cmd).not.toContain('--partition');
  });

  it('turns a timestamp into an offset with kafka-get-offsets.sh first', () => {
    const at = Date.parse('2025-01-02T03:04:05.000Z');
    const [lookup, consume] = consumeCommand(bootstrap, {
      topic: 'orders.v1',
      partition: 1,
      start: { from: 'timestamp', timestamp: at },
    }).split('\n');
    expect(lookup).toBe(
      `kafka-get-offsets.sh --bootstrap-server 127.0.0.1:9092 --topic-partitions orders.v1:1 --time ${at}`,
    );
    expect(consume).toContain('--partition 1 --offset <offset printed above>');
  });
});

describe('kafka-console-producer.sh', () => {
  it('parses a key when there is one', () => {
    expect(
      produceCommand(bootstrap, { topic: 'orders.v1', key: 'order-1', value: '{ "a": 1 }' }),
    ).toBe(
      `printf '%s\\n' 'order-1\t{"a":1}' | kafka-console-producer.sh --bootstrap-server 127.0.0.1:9092 --topic orders.v1 --property parse.key=true`,
    );
  });

  it('puts headers first and parses them', () => {
    const cmd = produceCommand(bootstrap, {
      topic: 't',
      key: 'k',
      value: 'not json',
      headers: { 'event-type': 'Poison', source: 'explorer' },
    });
    expect(cmd).toBe(
      `printf '%s\\n' 'event-type:Poison,source:explorer\tk\tnot json' | kafka-console-producer.sh --bootstrap-server 127.0.0.1:9092 --topic t --property parse.key=true --property parse.headers=true`,
    );
  });

  it('writes a keyless record without parse.key', () => {
    const cmd = produceCommand(bootstrap, { topic: 't', key: null, value: "it's\nme" });
    expect(cmd).toBe(
      `printf '%s\\n' 'it'\\''s me' | kafka-console-producer.sh --bootstrap-server 127.0.0.1:9092 --topic t`,
    );
  });
});

describe('kafka-consumer-groups.sh', () => {
  it('describes a group, its members or its state', () => {
    expect(describeGroupCommand(bootstrap, 'payment-service')).toBe(
      'kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092 --describe --group payment-service',
    );
    expect(describeGroupCommand(bootstrap, 'g', 'members')).toMatch(/--members --verbose$/);
    expect(describeGroupCommand(bootstrap, 'g', 'state')).toMatch(/--state$/);
  });

  it('previews a reset to earliest on every topic with --dry-run', () => {
    expect(
      resetOffsetsCommand(bootstrap, { groupId: 'g', target: { to: 'earliest' }, execute: false }),
    ).toBe(
      'kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092 --group g --reset-offsets --all-topics --to-earliest --dry-run',
    );
  });

  it('executes a reset of named topics', () => {
    expect(
      resetOffsetsCommand(bootstrap, {
        groupId: 'g',
        topics: ['orders.v1', 'payments.v1'],
        target: { to: 'offset', offset: '7' },
        execute: true,
      }),
    ).toBe(
      'kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092 --group g --reset-offsets --topic orders.v1 --topic payments.v1 --to-offset 7 --execute',
    );
  });

  it('writes each kind of target as the tool takes it', () => {
    const reset = (target: Parameters<typeof resetOffsetsCommand>[1]['target']) =>
      resetOffsetsCommand(bootstrap, { groupId: 'g', target, execute: false });
    expect(reset({ to: 'latest' })).toContain('--to-latest');
    expect(reset({ to: 'shift-by', shiftBy: -3 })).toContain('--shift-by -3');
    expect(reset({ to: 'timestamp', timestamp: Date.parse('2025-01-02T03:04:05Z') })).toContain(
      '--to-datetime 2025-01-02T03:04:05.000Z',
    );
  });
});

describe('bootstrapOf', () => {
  it('joins the brokers, or falls back', () => {
    expect(bootstrapOf(['a:1', 'b:2'])).toBe('a:1,b:2');
    expect(bootstrapOf([])).toBe('localhost:9092');
    expect(bootstrapOf(undefined, 'x:1')).toBe('x:1');
  });
});
