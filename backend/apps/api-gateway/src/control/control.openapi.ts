import { topics } from '@kafkadog/contracts';
import { error, fromZod, json, ref, type Schema } from '../http/openapi-schema.js';
import { ResetRequest } from './reset-request.js';

const resetRequestSchema = fromZod(ResetRequest);
const groupId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The consumer group id, e.g. `payment-service`',
  schema: { type: 'string', minLength: 1, maxLength: 255, example: 'payment-service' },
};

/** The schemas of the pause, resume and reset endpoints (merged into openapi.ts). */
export const controlSchemas: Record<string, Schema> = {
  ResetRequest: resetRequestSchema,
  ResetResult: {
    type: 'object',
    required: ['groupId', 'dryRun', 'applied', 'partitions', 'command'],
    properties: {
      groupId: { type: 'string' },
      dryRun: { type: 'boolean' },
      applied: {
        type: 'boolean',
        description: 'Whether the offsets were moved (false for a dry run)',
      },
      partitions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['topic', 'partition', 'before', 'after', 'records'],
          properties: {
            topic: { type: 'string' },
            partition: { type: 'integer' },
            before: {
              type: 'string',
              nullable: true,
              description: 'Committed offset; null if none',
            },
            after: { type: 'string' },
            records: {
              type: 'integer',
              minimum: 0,
              description:
                'Records between the two offsets: read again when moved back, skipped when moved ' +
                'forward. Fewer than the offsets apart where transactions wrote: each commit ' +
                'marker takes an offset and is no record.',
            },
          },
        },
      },
      paused: {
        type: 'boolean',
        description:
          'Only with `pause: true`: whether this reset paused the group (and resumed it after); ' +
          'false when the group was already paused, and stays so',
      },
      command: {
        type: 'string',
        description: 'The same reset with kafka-consumer-groups.sh',
        example:
          'kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092 --group notification-service ' +
          '--reset-offsets --to-earliest --topic orders.outcome.v1 --dry-run',
      },
    },
  },
  GroupPause: {
    type: 'object',
    required: ['groupId', 'paused'],
    properties: { groupId: { type: 'string' }, paused: { type: 'boolean' } },
  },
};

const pauseNote =
  `Publishes GroupPauseSet to ${topics.control.name} (compacted, key = group id). Every kafkadog ` +
  'service follows it: the consumers of a paused group (and its retry worker) close and leave ' +
  'the group; on resume they join again from the committed offsets. A service started while ' +
  'its group is paused stays paused; its /health says `consumers: paused`.';

export const controlPaths: Record<string, Record<string, unknown>> = {
  '/explorer/groups/{id}/pause': {
    post: {
      tags: ['explorer'],
      summary: "Pause a consumer group's consumers",
      description: pauseNote,
      parameters: [groupId],
      responses: {
        202: { description: 'Pause published', ...json(ref('GroupPause')) },
        400: error('A group id longer than 255 characters'),
        503: error('Kafka did not take the pause'),
      },
    },
  },
  '/explorer/groups/{id}/resume': {
    post: {
      tags: ['explorer'],
      summary: "Resume a consumer group's consumers",
      description: pauseNote,
      parameters: [groupId],
      responses: {
        202: { description: 'Resume published', ...json(ref('GroupPause')) },
        400: error('A group id longer than 255 characters'),
        503: error('Kafka did not take the resume'),
      },
    },
  },
  '/explorer/groups/{id}/reset': {
    post: {
      tags: ['explorer'],
      summary: "Reset a consumer group's offsets (kafka-consumer-groups.sh --reset-offsets)",
      description:
        'To the earliest or latest offset, the first record at or after a time, an offset, or a ' +
        'shift from the committed offset; offsets and shifts are clamped to each partition, as ' +
        'the tool does. `topics` defaults to those the group committed on. A dry run moves ' +
        'nothing and is answered even while the group has members. Kafka moves offsets only of ' +
        'a group without members: `pause: true` pauses its consumers, waits until the group is ' +
        'empty, resets, and resumes them (also when the reset fails).',
      parameters: [groupId],
      requestBody: {
        required: true,
        ...json(ref('ResetRequest'), { to: 'earliest', dryRun: true }),
      },
      responses: {
        200: { description: 'Planned (dry run) or applied', ...json(ref('ResetResult')) },
        400: error('Invalid field, or a shift on a partition without a committed offset'),
        404: error('Unknown topic, or a group without committed offsets and no `topics`'),
        409: error('`group_active`: the group has members and `pause` is not true'),
        503: error('Kafka unavailable'),
        504: error(
          '`group_still_active`: the group did not empty while paused (names who holds it)',
        ),
      },
    },
  },
};
