import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  brokerAddresses,
  clusterLayout,
  defaultDataDir,
  nodePorts,
  parseBrokerList,
  resolveSettings,
} from './config.js';
import { KafkadogError } from './errors.js';

describe('port layout', () => {
  it('gives node i the client port base + 2(i-1) and the controller port after it', () => {
    expect(nodePorts(9092, 1)).toEqual({ client: 9092, controller: 9093 });
    expect(nodePorts(9092, 2)).toEqual({ client: 9094, controller: 9095 });
    expect(nodePorts(9092, 3)).toEqual({ client: 9096, controller: 9097 });
    expect(nodePorts(29092, 3)).toEqual({ client: 29096, controller: 29097 });
  });

  it('advertises 127.0.0.1 for every node', () => {
    expect(brokerAddresses(9092, 3)).toEqual([
      '127.0.0.1:9092',
      '127.0.0.1:9094',
      '127.0.0.1:9096',
    ]);
  });

  it('keeps each node in its own directory with data, logs, properties and pid file', () => {
    const [, node2] = clusterLayout('/c', 9092, 3);
    expect(node2).toMatchObject({
      id: 2,
      dataDir: path.join('/c', 'node-2', 'data'),
      logFile: path.join('/c', 'node-2', 'logs', 'server.log'),
      propertiesFile: path.join('/c', 'node-2', 'server.properties'),
      pidFile: path.join('/c', 'node-2', 'kafka.pid'),
    });
  });
});

describe('resolveSettings', () => {
  it('defaults to port 9092, ~/.cache/kafkadog and a per-checkout data dir there', () => {
    const settings = resolveSettings({}, {});
    expect(settings.basePort).toBe(9092);
    expect(settings.cacheDir).toMatch(/\.cache[/\\]kafkadog$/);
    expect(settings.dataDir.startsWith(path.join(settings.cacheDir, 'clusters'))).toBe(true);
    expect(settings.externalBrokers).toBeUndefined();
    expect(settings.nodes).toBeUndefined();
  });

  it('reads KAFKADOG_KAFKA_PORT, KAFKADOG_DATA_DIR and KAFKADOG_CACHE', () => {
    const settings = resolveSettings(
      {},
      { KAFKADOG_KAFKA_PORT: '29092', KAFKADOG_DATA_DIR: '/tmp/d', KAFKADOG_CACHE: '/tmp/c' },
    );
    expect(settings).toMatchObject({
      basePort: 29092,
      basePortRequested: true,
      dataDir: '/tmp/d',
      cacheDir: '/tmp/c',
    });
    expect(resolveSettings({}, {}).basePortRequested).toBe(false);
  });

  it('lets explicit options win over the environment', () => {
    const settings = resolveSettings(
      { basePort: 39092, dataDir: '/x', nodes: 3 },
      { KAFKADOG_KAFKA_PORT: '29092', KAFKADOG_DATA_DIR: '/tmp/d' },
    );
    expect(settings).toMatchObject({ basePort: 39092, dataDir: '/x', nodes: 3 });
  });

  it('names the variable when the port is not a port', () => {
    expect(() => resolveSettings({}, { KAFKADOG_KAFKA_PORT: 'abc' })).toThrow(
      /KAFKADOG_KAFKA_PORT must be a port number/,
    );
    expect(() => resolveSettings({}, { KAFKADOG_KAFKA_PORT: '80' })).toThrow(KafkadogError);
  });

  it('treats KAFKA_BROKERS as an external cluster', () => {
    expect(resolveSettings({}, { KAFKA_BROKERS: 'a:9092, b:9093' }).externalBrokers).toEqual([
      'a:9092',
      'b:9093',
    ]);
    expect(resolveSettings({}, { KAFKA_BROKERS: '' }).externalBrokers).toBeUndefined();
  });

  it('rejects a node count outside 1..5', () => {
    expect(() => resolveSettings({ nodes: 0 }, {})).toThrow(/--nodes/);
    expect(() => resolveSettings({ nodes: 9 }, {})).toThrow(/--nodes/);
  });
});

describe('defaultDataDir', () => {
  it('differs per checkout and per non-default base port', () => {
    const a = defaultDataDir('/c', 9092, '/src/kafkadog');
    expect(a).toMatch(/^[/\\]c[/\\]clusters[/\\]kafkadog-[0-9a-f]{8}$/);
    expect(defaultDataDir('/c', 9092, '/other/kafkadog')).not.toBe(a);
    expect(defaultDataDir('/c', 29092, '/src/kafkadog')).toBe(`${a}-29092`);
  });
});

describe('parseBrokerList', () => {
  it('rejects entries without a port', () => {
    expect(() => parseBrokerList('localhost', 'KAFKA_BROKERS')).toThrow(/host:port/);
  });
});
