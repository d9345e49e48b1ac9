import { describe, expect, it } from 'vitest';
import { brokerProperties, controllerQuorumVoters, renderProperties } from './properties.js';

const asMap = (entries: [string, string][]) => new Map(entries);

describe('brokerProperties', () => {
  it('makes a single combined node with the =1 settings and a standalone quorum', () => {
    const props = asMap(
      brokerProperties({ nodeId: 1, nodes: 1, basePort: 9092, host: '127.0.0.1', logDirs: '/d' }),
    );

    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:9093');
    expect(props.has('controller.quorum.voters')).toBe(false);
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(props.get('advertised.listeners')).toBe(props.get('listeners'));
    expect(props.get('log.dirs')).toBe('/d');
    for (const key of [
      'default.replication.factor',
      'min.insync.replicas',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'transaction.state.log.min.isr',
      'share.coordinator.state.topic.replication.factor',
      'share.coordinator.state.topic.min.isr',
    ]) {
      expect(props.get(key), key).toBe('1');
    }
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('log.cleaner.dedupe.buffer.size')).toBe(String(16 * 1024 * 1024));
  });

  it('gives node 2 of 3 its own ports, the static voter list, RF 3 and min ISR 2', () => {
    const props = asMap(
      brokerProperties({ nodeId: 2, nodes: 3, basePort: 29092, host: '127.0.0.1', logDirs: '/n2' }),
    );

    expect(props.get('node.id')).toBe('2');
    expect(props.get('controller.quorum.voters')).toBe(
      '1@127.0.0.1:29093,2@127.0.0.1:29095,3@127.0.0.1:29097',
    );
    expect(props.has('controller.quorum.bootstrap.servers')).toBe(false);
    expect(props.get('advertised.listeners')).toBe(
      'PLAINTEXT://127.0.0.1:29094,CONTROLLER://127.0.0.1:29095',
    );
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('offsets.topic.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.replication.factor')).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    expect(props.get('auto.create.topics.enable')).toBe('false');
  });

  it('never lists a key twice', () => {
    const entries = brokerProperties({
      nodeId: 3,
      nodes: 3,
      basePort: 9092,
      host: '127.0.0.1',
      logDirs: '/x',
    });
    expect(new Set(entries.map(([k]) => k)).size).toBe(entries.length);
  });
});

describe('brokerProperties with --sasl', () => {
  it('makes the client port SASL_PLAINTEXT with SCRAM, brokers logging in as the user, the controller PLAINTEXT', () => {
    const props = asMap(
      brokerProperties({
        nodeId: 1,
        nodes: 1,
        basePort: 9092,
        host: '127.0.0.1',
        logDirs: '/d',
        sasl: { username: 'kafkadog', password: 'pw-123456' },
      }),
    );
    expect(props.get('listeners')).toBe(
      'SASL_PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
    );
    expect(props.get('listener.security.protocol.map')).toBe(
      'CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    );
    expect(props.get('inter.broker.listener.name')).toBe('SASL_PLAINTEXT');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
    expect(props.get('sasl.enabled.mechanisms')).toBe('SCRAM-SHA-256,SCRAM-SHA-512');
    expect(props.get('sasl.mechanism.inter.broker.protocol')).toBe('SCRAM-SHA-256');
    for (const mechanism of ['scram-sha-256', 'scram-sha-512']) {
      expect(props.get(`listener.name.sasl_plaintext.${mechanism}.sasl.jaas.config`)).toBe(
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="kafkadog" password="pw-123456";',
      );
    }
  });
});

describe('controllerQuorumVoters', () => {
  it('lists every node at its controller port', () => {
    expect(controllerQuorumVoters(3, 9092, 'h')).toBe('1@h:9093,2@h:9095,3@h:9097');
  });
});

describe('renderProperties', () => {
  it('writes key=value lines under a comment header and escapes backslashes', () => {
    expect(
      renderProperties(
        [
          ['a', '1'],
          ['log.dirs', 'C:\\kafka\\data'],
        ],
        ['hello'],
      ),
    ).toBe('# hello\na=1\nlog.dirs=C:\\\\kafka\\\\data\n');
  });
});
