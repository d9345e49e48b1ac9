import { allTopics, topicByName } from '@kafkadog/contracts';
import type { ReadRecord } from '@kafkadog/kafka';
import { z } from 'zod';
import { streamedTopics } from '../feed/gateway-topics.js';

/** Which records one GET /events client gets. */
export interface EventsFilter {
  readonly topics: ReadonlySet<string>;
  readonly key: string | undefined;
}

const registryTopicName = z.string().refine((name) => topicByName(name) !== undefined, {
  error: (issue) =>
    `unknown topic ${String(issue.input)}; one of ${allTopics.map((t) => t.name).join(', ')}`,
});

/** `?topic=a&topic=b&key=k`; no topic: the flow's topics, as without any filter. */
export const EventsQuery = z
  .object({
    topic: z
      .union([registryTopicName, z.array(registryTopicName).min(1)])
      .transform((topic) => (Array.isArray(topic) ? topic : [topic]))
      .optional(),
    key: z.string().min(1).max(1_000).optional(),
  })
  .transform(({ topic, key }): EventsFilter => ({
    topics: new Set(topic ?? streamedTopics.map((spec) => spec.name)),
    key,
  }));

export function matches(filter: EventsFilter, record: ReadRecord): boolean {
  return filter.topics.has(record.topic) && (filter.key === undefined || record.key === filter.key);
}
