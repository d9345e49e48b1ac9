import { execFile } from 'node:child_process';
import type { KafkaAdmin } from '@kafkadog/kafka';
import { KAFKA_VERSION, resolveSettings } from '../kafka/config.js';
import { javaExecutable } from '../kafka/java.js';
import { ensureKafkaJars } from '../kafka/jars.js';
import type { Logger } from '../lib/log.js';
import { formatDuration } from '../lib/log.js';

/** What Kafka's own tools measure on the bench's broker: the ceiling our figures sit under. */
export interface Limit {
  /** EndToEndLatency: produce one record (acks=all), consume it; one hop. */
  readonly hopP50Ms: number;
  readonly hopP99Ms: number;
  /** ProducerPerformance, 512-byte records, acks=all, unthrottled. */
  readonly producerRecordsPerSec: number;
  /** ConsumerPerformance over the same records, while fetching (the group join left out). */
  readonly consumerRecordsPerSec: number;
}

export const LIMIT_TOPICS = [
  { name: 'kafkadog-bench.limit.latency', partitions: 1 },
  // As many partitions as orders.v1.
  { name: 'kafkadog-bench.limit.throughput', partitions: 3 },
] as const;
const RECORD_SIZE = 512;
const LATENCY_RECORDS = 2_000;
const THROUGHPUT_RECORDS = 200_000;

/** `Percentiles: 50th = 2, 99th = 17, 99.9th = 39` (EndToEndLatency's last line). */
export function parseEndToEndLatency(output: string): { p50Ms: number; p99Ms: number } {
  const match = /Percentiles: 50th = ([\d.]+), 99th = ([\d.]+)/.exec(output);
  if (!match?.[1] || !match[2]) throw unparsable('EndToEndLatency', output);
  return { p50Ms: Number(match[1]), p99Ms: Number(match[2]) };
}

/** `200000 records sent, 33743.88 records/sec (16.48 MB/sec), …` (the summary is the last). */
export function parseProducerPerformance(output: string): number {
  const matches = [...output.matchAll(/records sent, ([\d.]+) records\/sec/g)];
  const last = matches.at(-1)?.[1];
  if (last === undefined) throw unparsable('ProducerPerformance', output);
  return Number(last);
}

/** ConsumerPerformance prints a CSV header and one row; we take `fetch.nMsg.sec`. */
export function parseConsumerPerformance(output: string): number {
  const lines = output.split('\n').map((line) => line.trim());
  const headerIndex = lines.findIndex((line) => line.includes('fetch.nMsg.sec'));
  const header = lines[headerIndex]?.split(/,\s*/) ?? [];
  const row = lines[headerIndex + 1]?.split(/,\s*/) ?? [];
  const value = Number(row[header.indexOf('fetch.nMsg.sec')]);
  if (headerIndex < 0 || !Number.isFinite(value)) throw unparsable('ConsumerPerformance', output);
  return value;
}

function unparsable(tool: string, output: string): Error {
  return new Error(`could not read ${tool}'s result from its output:\n${output.slice(-800)}`);
}

/**
 * Runs EndToEndLatency, ProducerPerformance and ConsumerPerformance (org.apache.kafka:kafka-tools
 * at the broker's version, cached beside the broker's jars) against `brokers`.
 */
export async function measureLimit(
  brokers: readonly string[],
  admin: KafkaAdmin,
  log: Logger,
): Promise<Limit> {
  // Resolved with the broker (kafka-tools is among its jars): a no-op on a warm cache.
  const dist = await ensureKafkaJars({
    cacheDir: resolveSettings().cacheDir,
    version: KAFKA_VERSION,
    logger: log,
  });
  // The broker refuses to create topics on first use.
  await admin.ensureTopics(LIMIT_TOPICS);
  const [latencyTopic, throughputTopic] = LIMIT_TOPICS;
  const bootstrap = brokers.join(',');
  const run = async (tool: string, args: string[]): Promise<string> => {
    const started = Date.now();
    log.info(`  limit: ${tool} ${args.filter((a) => !a.includes(bootstrap)).join(' ')}`);
    const output = await java(dist.classpath, `org.apache.kafka.tools.${tool}`, args);
    log.info(`  limit: ${tool} done in ${formatDuration(Date.now() - started)}`);
    return output;
  };

  const hop = parseEndToEndLatency(
    await run('EndToEndLatency', [
      ...['--bootstrap-server', bootstrap, '--topic', latencyTopic.name],
      ...['--num-records', String(LATENCY_RECORDS), '--producer-acks', 'all'],
      ...['--record-size', String(RECORD_SIZE)],
    ]),
  );
  const producerRecordsPerSec = parseProducerPerformance(
    await run('ProducerPerformance', [
      ...['--bootstrap-server', bootstrap, '--topic', throughputTopic.name],
      ...['--num-records', String(THROUGHPUT_RECORDS), '--record-size', String(RECORD_SIZE)],
      ...['--throughput', '-1', '--command-property', 'acks=all'],
    ]),
  );
  const consumerRecordsPerSec = parseConsumerPerformance(
    await run('ConsumerPerformance', [
      ...['--bootstrap-server', bootstrap, '--topic', throughputTopic.name],
      ...['--num-records', String(THROUGHPUT_RECORDS), '--timeout', '30000'],
    ]),
  );
  return {
    hopP50Ms: hop.p50Ms,
    hopP99Ms: hop.p99Ms,
    producerRecordsPerSec: Math.round(producerRecordsPerSec),
    consumerRecordsPerSec: Math.round(consumerRecordsPerSec),
  };
}

function java(classpath: string, mainClass: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      javaExecutable(),
      ['-Xmx512m', '-cp', classpath, mainClass, ...args],
      { timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${mainClass} failed: ${error.message}\n${stderr.slice(-800)}`));
        } else resolve(`${stdout}\n${stderr}`);
      },
    );
  });
}
