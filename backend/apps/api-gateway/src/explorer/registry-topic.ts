import { allTopics, topicByName, type TopicSpec } from '@kafkadog/contracts';
import { ApiError } from '../http/api-error.js';

/** The explorer shows and writes the registry's topics only, never any topic of the cluster. */
export function registryTopic(name: string): TopicSpec {
  const spec = topicByName(name);
  if (!spec) {
    throw new ApiError(404, {
      error: 'unknown_topic',
      message: `${name} is not a kafkadog topic; known: ${allTopics.map((t) => t.name).join(', ')}`,
    });
  }
  return spec;
}
