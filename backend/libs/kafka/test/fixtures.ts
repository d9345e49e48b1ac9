import { createEvent, topics, type EventOf, type TopicSpec } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { uniqueName } from '../../../../test/support/kafka.js';
import { createAdmin, type KafkaAdmin } from '../src/admin/index.js';
import { createEventConsumer, type EventConsumer } from '../src/consumer/index.js';
import { createConsoleLogger, type Logger, type LogFields } from '../src/logger.js';
import type { EventProducer } from '../src/producer/index.js';

export function orderPlaced(orderId: string = randomUUID()): EventOf<'OrderPlaced'> {
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: 4999 }],
      total: 4999,
      cardNumber: '4242424242424242',
    },
    { orderId },
  );
}

/** A logger that keeps its lines, for tests that assert what was logged. */
export interface MemoryLogger extends Logger {
  readonly lines: { level: string; message: string; fields: LogFields | undefined }[];
}

export function memoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  // KAFKADOG_TEST_LOG=1 also prints the lines, to see what a failing test went through.
  const echo = process.env.KAFKADOG_TEST_LOG ? createConsoleLogger('test') : undefined;
  const log = (level: 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    lines.push({ level, message, fields });
    echo?.[level](message, fields);
  };
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

export interface TestTopics {
  readonly orders: TopicSpec;
  readonly retry: TopicSpec;
  readonly dlq: TopicSpec;
}

/** Copies of the registry's orders, retry and DLQ topics under names no other test uses. */
export async function createTestTopics(brokers: string[], prefix: string): Promise<TestTopics> {
  const specs: TestTopics = {
    orders: { ...topics.orders, name: uniqueName(`${prefix}.orders`) },
    retry: { ...topics.retry, name: uniqueName(`${prefix}.retry`) },
    dlq: { ...topics.dlq, name: uniqueName(`${prefix}.dlq`) },
  };
  await withAdmin(brokers, (admin) => admin.ensureTopics(Object.values(specs)));
  return specs;
}

/**
 * An at-least-once consumer of the test's orders topic that writes nothing and counts the
 * records it handles. Not started.
 */
export function countingConsumer(options: {
  readonly brokers: string[];
  readonly specs: TestTopics;
  readonly groupId: string;
  readonly producer: EventProducer;
}): { readonly consumer: EventConsumer; readonly handled: () => number } {
  const { specs } = options;
  let handled = 0;
  const consumer = createEventConsumer({
    brokers: options.brokers,
    groupId: options.groupId,
    topics: [specs.orders],
    producer: options.producer,
    retry: false,
    dlqTopic: specs.dlq.name,
    retryTopic: specs.retry.name,
    logger: memoryLogger(),
    handler: () => {
      handled++;
    },
  });
  return { consumer, handled: () => handled };
}

export async function deleteTestTopics(brokers: string[], specs: TestTopics | undefined) {
  if (!specs) return;
  const names = [specs.orders.name, specs.retry.name, specs.dlq.name];
  await withAdmin(brokers, (admin) => admin.deleteTopics(names));
}

export async function withAdmin<T>(
  brokers: string[],
  fn: (admin: KafkaAdmin) => Promise<T>,
): Promise<T> {
  const admin = createAdmin({ brokers, logger: memoryLogger() });
  try {
    return await fn(admin);
  } finally {
    await admin.close();
  }
}

/** A topic of `partitions` partitions under a name no other test uses. */
export async function createTestTopic(
  brokers: string[],
  prefix: string,
  partitions: number,
): Promise<string> {
  const name = uniqueName(prefix);
  await withAdmin(brokers, (admin) => admin.ensureTopics([{ name, partitions }]));
  return name;
}
