import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { waitForKafka } from '../src/admin/index.js';
import { parseBrokers } from '../src/brokers.js';
import { InMemoryIdempotencyGuard } from '../src/idempotency/index.js';
import { counterValue, createKafkaMetrics } from '../src/metrics/index.js';
import { partitionFor } from '../src/producer/index.js';
import { waitFor } from '../../../../test/support/wait.js';
import { memoryLogger, orderPlaced } from './fixtures.js';

describe('partitionFor', () => {
  // Computed with the Java client (kafka-clients 4.1.1):
  // Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % 3
  it.each([
    ['0b7c6f8e-7a51-4a43-9d6b-0f1f5f7d2a10', 0],
    ['order-1', 1],
    ['order-2', 0],
    ['k0', 2],
    ['sku-1', 1],
    ['z', 2],
    ['123', 2],
  ])('puts %s on partition %i of 3, as the Java client does', (key, partition) => {
    expect(partitionFor(key, 3)).toBe(partition);
  });
});

describe('parseBrokers', () => {
  it('accepts a comma-separated string or a list', () => {
    expect(parseBrokers(' a:9092, b:9093 ')).toEqual(['a:9092', 'b:9093']);
    expect(parseBrokers(['127.0.0.1:19092'])).toEqual(['127.0.0.1:19092']);
  });

  it('names what it could not read', () => {
    expect(() => parseBrokers('localhost')).toThrow(/host:port.*localhost/);
    expect(() => parseBrokers('')).toThrow(/INVALID|host:port/);
  });
});

describe('InMemoryIdempotencyGuard', () => {
  it('remembers applied event ids, forgetting the oldest beyond its size', () => {
    const guard = new InMemoryIdempotencyGuard({ maxEntries: 2 });
    const [a, b, c] = [orderPlaced(), orderPlaced(), orderPlaced()];
    expect(guard.isApplied(a)).toBe(false);
    guard.markApplied(a);
    guard.markApplied(b);
    expect(guard.isApplied(a)).toBe(true);
    guard.markApplied(c);
    expect(guard.size).toBe(2);
    expect(guard.isApplied(a)).toBe(false);
    expect(guard.isApplied(c)).toBe(true);
  });
});

describe('metrics', () => {
  it('share counters when two clients use one registry, and read back by label', async () => {
    const registry = new Registry();
    const first = createKafkaMetrics(registry);
    const second = createKafkaMetrics(registry);
    first.duplicatesSuppressed.inc({ topic: 't', group: 'g1' });
    second.duplicatesSuppressed.inc({ topic: 't', group: 'g2' }, 2);
    expect(await counterValue(first.duplicatesSuppressed)).toBe(3);
    expect(await counterValue(first.duplicatesSuppressed, { group: 'g2' })).toBe(2);
    expect(await registry.metrics()).toContain(
      'kafkadog_duplicates_suppressed_total{topic="t",group="g2"} 2',
    );
  });
});

describe('waitForKafka', () => {
  it('logs every failed attempt with the next delay, and gives up after `attempts`', async () => {
    const logger = memoryLogger();
    await expect(
      waitForKafka('127.0.0.1:1', logger, {
        attempts: 3,
        backoff: { baseMs: 10, factor: 2, maxMs: 100, jitter: 0 },
      }),
    ).rejects.toThrow();
    expect(logger.lines.map((line) => line.message)).toEqual([
      'waiting for Kafka at 127.0.0.1:1 (attempt 1, next in 0.0s)',
      'waiting for Kafka at 127.0.0.1:1 (attempt 2, next in 0.0s)',
    ]);
  });

  it('waits forever by default, until aborted', async () => {
    const logger = memoryLogger();
    const controller = new AbortController();
    const waiting = waitForKafka('127.0.0.1:1', logger, {
      signal: controller.signal,
      backoff: { baseMs: 1_000, factor: 1, maxMs: 1_000, jitter: 0 },
    });
    const outcome = expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    await waitFor(() => logger.lines.length > 0, { what: 'a waiting line' });
    controller.abort();
    await outcome;
    expect(logger.lines[0]?.message).toBe(
      'waiting for Kafka at 127.0.0.1:1 (attempt 1, next in 1.0s)',
    );
  });
});
