import { topics as registry, type TopicSpec } from '@kafkadog/contracts';
import { isRetriable, KafkadogError } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { createKafkaMetrics } from '../metrics/index.js';
import { defaultRetryPolicy, type RetryPolicy } from '../retry/policy.js';
import type { ProcessorOptions } from './processor.js';
import type { EventConsumerOptions, GroupTuning } from './types.js';

export function checkRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const problems = [
    (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) && 'maxAttempts >= 1',
    !(policy.baseMs >= 0) && 'baseMs >= 0',
    !(policy.factor >= 1) && 'factor >= 1',
    !(policy.maxMs >= policy.baseMs) && 'maxMs >= baseMs',
    !(policy.jitter >= 0 && policy.jitter <= 1) && '0 <= jitter <= 1',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new KafkadogError(
      'INVALID_RETRY_POLICY',
      `retry policy ${JSON.stringify(policy)} needs ${problems.join(', ')}`,
    );
  }
  return policy;
}

export function topicSpecs(topics: readonly TopicSpec[]): Map<string, TopicSpec> {
  if (topics.length === 0) {
    throw new KafkadogError('NO_TOPICS', 'a consumer needs at least one topic');
  }
  return new Map(topics.map((spec) => [spec.name, spec]));
}

/** The defaults of everything that decides what happens to an event, resolved once. */
export function resolveProcessing(options: EventConsumerOptions): ProcessorOptions {
  return {
    groupId: options.groupId,
    handler: options.handler,
    producer: options.producer,
    retry: options.retry === false ? false : checkRetryPolicy(options.retry ?? defaultRetryPolicy),
    guard: options.idempotency,
    dlqTopic: options.dlqTopic ?? registry.dlq.name,
    retryTopic: options.retryTopic ?? registry.retry.name,
    isRetriable: options.isRetriable ?? isRetriable,
    logger: options.logger ?? consoleLogger,
    metrics: options.metrics ?? createKafkaMetrics(),
  };
}

export function tuning(options: GroupTuning): GroupTuning {
  return {
    ...(options.sessionTimeoutMs === undefined
      ? {}
      : { sessionTimeoutMs: options.sessionTimeoutMs }),
    ...(options.heartbeatIntervalMs === undefined
      ? {}
      : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    ...(options.minBytes === undefined ? {} : { minBytes: options.minBytes }),
    ...(options.transactionIntervalMs === undefined
      ? {}
      : { transactionIntervalMs: options.transactionIntervalMs }),
  };
}
