import { topics } from '@kafkadog/contracts';
import {
  error,
  integer,
  json,
  nullable,
  ref,
  string,
  type Schema,
} from '../http/openapi-schema.js';
import { MAX_BROWSE_LIMIT } from './messages/message-request.js';

const offset = { ...string, pattern: '^\\d+$', description: 'a 64-bit offset, as a string' };
const array = (items: Schema): Schema => ({ type: 'array', items });
const object = (properties: Record<string, Schema>, required?: string[]): Schema => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});
const stringMap = { type: 'object', additionalProperties: string };
const countMap = { type: 'object', additionalProperties: integer };
const assignment = object({ topic: string, partitions: array(integer) });

export const explorerSchemas: Record<string, Schema> = {
  Cluster: object({
    brokers: { ...array(string), description: 'bootstrap servers, as the Kafka tools take them' },
    nodes: array(object({ id: integer, host: string, port: integer })),
    controller: integer,
  }),
  TopicSummary: object({
    name: { ...string, example: topics.orders.name },
    partitions: integer,
    internal: { type: 'boolean' },
    keyedBy: string,
    description: string,
    events: array(string),
    messages: { ...integer, description: 'sum over partitions of high - low' },
    replicationFactor: integer,
  }),
  TopicDetail: object({
    name: string,
    keyedBy: string,
    description: string,
    internal: { type: 'boolean' },
    events: array(string),
    configs: { ...stringMap, description: 'configs set on the topic itself' },
    partitions: array(
      object({
        partition: integer,
        leader: integer,
        replicas: array(integer),
        isr: array(integer),
        low: offset,
        high: offset,
        messages: integer,
      }),
    ),
    groups: {
      ...array(
        object({
          groupId: string,
          state: string,
          offsets: array(
            object({ partition: integer, committed: nullable(offset), lag: nullable(integer) }),
          ),
        }),
      ),
      description: 'every group with committed offsets on the topic: its cursor per partition',
    },
  }),
  Message: object({
    partition: integer,
    offset,
    key: nullable(string),
    timestamp: { ...string, format: 'date-time' },
    headers: stringMap,
    value: { ...string, description: 'UTF-8 text, card numbers masked' },
    json: { nullable: true, description: 'the value parsed, when it is JSON' },
    size: { ...integer, description: 'bytes' },
    tombstone: { type: 'boolean' },
  }),
  MessagePage: object({
    topic: string,
    partition: nullable({ ...integer, description: 'null: every partition, by timestamp' }),
    from: { ...string, enum: ['earliest', 'latest', 'offset', 'timestamp'] },
    messages: array(ref('Message')),
    next: nullable({ ...offset, description: 'where the next page of the partition starts' }),
  }),
  ProduceRequest: object(
    {
      key: nullable({ ...string, maxLength: 1000 }),
      value: { ...string, description: 'sent as UTF-8 bytes, not validated (poison pills too)' },
      headers: stringMap,
      partition: { ...integer, minimum: 0, description: 'default: chosen from the key' },
    },
    ['value'],
  ),
  Produced: object({
    topic: string,
    partition: integer,
    offset,
    timestamp: { ...string, format: 'date-time' },
  }),
  GroupSummary: object({
    groupId: string,
    state: { ...string, example: 'Stable' },
    protocolType: string,
    members: integer,
    topics: array(string),
    lag: nullable(integer),
    paused: { type: 'boolean' },
  }),
  GroupDetail: object({
    groupId: string,
    state: string,
    protocol: string,
    paused: { type: 'boolean' },
    members: array(
      object({ memberId: string, clientId: string, host: string, assignments: array(assignment) }),
    ),
    offsets: array(
      object({
        topic: string,
        partition: integer,
        committed: nullable(offset),
        logEnd: offset,
        lag: nullable(integer),
      }),
    ),
    lagHistory: {
      ...array(object({ at: { ...string, format: 'date-time' }, lag: integer, byTopic: countMap })),
      description: 'sampled every 2 s, the last 10 minutes',
    },
    rebalances: {
      ...array(
        object({
          at: { ...string, format: 'date-time' },
          joined: array(string),
          left: array(string),
          moved: array(
            object({
              topic: string,
              partition: integer,
              from: nullable(string),
              to: nullable(string),
            }),
          ),
        }),
      ),
      description: 'membership changes between samples (member ids), the last 50',
    },
  }),
};

const tags = ['explorer'];
const name = {
  name: 'name',
  in: 'path',
  required: true,
  schema: { ...string, example: topics.orders.name },
};
const unknownTopic = error('Not a topic of the registry (`unknown_topic`)');
const unavailable = error('Kafka unavailable (`kafka_unavailable`)');

export const explorerPaths: Record<string, Record<string, unknown>> = {
  '/explorer/cluster': {
    get: {
      tags,
      summary: 'The brokers of the cluster',
      responses: { 200: { description: 'Cluster', ...json(ref('Cluster')) }, 503: unavailable },
    },
  },
  '/explorer/topics': {
    get: {
      tags,
      summary: 'Every registry topic with its partitions and message count',
      responses: {
        200: {
          description: 'Topics',
          ...json(object({ topics: array(ref('TopicSummary')) })),
        },
        503: unavailable,
      },
    },
  },
  '/explorer/topics/{name}': {
    get: {
      tags,
      summary: 'A topic: partitions (leader, replicas, ISR, watermarks), configs, group cursors',
      parameters: [name],
      responses: {
        200: { description: 'Topic', ...json(ref('TopicDetail')) },
        404: unknownTopic,
        503: unavailable,
      },
    },
  },
  '/explorer/topics/{name}/messages': {
    get: {
      tags,
      summary: 'Browse records without a consumer group',
      description:
        '`from=latest` (default) returns the last `limit` records, oldest first. Without ' +
        '`partition`, every partition merged by timestamp. `key` scans at most 10 000 records ' +
        'per partition.',
      parameters: [
        name,
        {
          name: 'partition',
          in: 'query',
          description: "below the topic's partition count (else 400)",
          schema: { ...integer, minimum: 0 },
        },
        {
          name: 'from',
          in: 'query',
          schema: { ...string, enum: ['earliest', 'latest', 'offset', 'timestamp'] },
        },
        { name: 'offset', in: 'query', description: 'with from=offset', schema: offset },
        {
          name: 'timestamp',
          in: 'query',
          description: 'with from=timestamp: ISO date or epoch ms',
          schema: { ...string, example: '2025-01-31T10:00:00Z' },
        },
        {
          name: 'limit',
          in: 'query',
          schema: { ...integer, minimum: 1, maximum: MAX_BROWSE_LIMIT, default: 50 },
        },
        {
          name: 'key',
          in: 'query',
          description: 'only records with this key',
          schema: { ...string, minLength: 1, maxLength: 1000 },
        },
      ],
      responses: {
        200: { description: 'A page', ...json(ref('MessagePage')) },
        400: error(
          'Invalid query field(s), a partition the topic does not have, or from=offset ' +
            '(from=timestamp) without `offset` (`timestamp`)',
        ),
        404: unknownTopic,
        503: unavailable,
      },
    },
    post: {
      tags,
      summary: 'Produce a raw record (no validation of the value: a poison pill is allowed)',
      parameters: [name],
      requestBody: {
        required: true,
        ...json(ref('ProduceRequest'), { key: 'order-1', value: '{not json' }),
      },
      responses: {
        201: { description: 'Written', ...json(ref('Produced')) },
        400: error('Invalid or unknown field(s), or a partition the topic does not have'),
        404: unknownTopic,
        503: unavailable,
      },
    },
  },
  '/explorer/groups': {
    get: {
      tags,
      summary: 'Every consumer group with its members and total lag',
      responses: {
        200: { description: 'Groups', ...json(object({ groups: array(ref('GroupSummary')) })) },
        503: unavailable,
      },
    },
  },
  '/explorer/groups/{id}': {
    get: {
      tags,
      summary: 'A group: members, assignment, offsets and lag, lag history, rebalances',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          schema: { ...string, example: 'payment-service' },
        },
      ],
      responses: {
        200: { description: 'Group', ...json(ref('GroupDetail')) },
        404: error('No such group (`unknown_group`)'),
        503: unavailable,
      },
    },
  },
};
