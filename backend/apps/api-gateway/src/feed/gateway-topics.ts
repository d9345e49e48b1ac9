import { allTopics, topics, type TopicSpec } from '@kafkadog/contracts';

/** Every topic the gateway reads or writes; created at boot if missing. */
export const gatewayTopics: readonly TopicSpec[] = [
  topics.orders,
  topics.payments,
  topics.inventory,
  topics.outcomes,
  topics.pageviews,
  topics.snapshots,
  topics.retry,
  topics.dlq,
  topics.faults,
  topics.stock,
  topics.control,
  topics.notificationState,
];

/**
 * What GET /events streams: every topic that carries events or records of the flow (retries and
 * dead letters included), not the services' per-order state changelogs.
 */
export const streamedTopics: readonly TopicSpec[] = allTopics.filter(
  (topic) => !(topic.internal && topic.events.length === 0),
);
