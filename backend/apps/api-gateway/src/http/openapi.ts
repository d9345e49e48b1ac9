import { allTopics, catalog, topics } from '@kafkadog/contracts';
import { DocumentBuilder, type OpenAPIObject } from '@nestjs/swagger';
import { controlPaths, controlSchemas } from '../control/control.openapi.js';
import { MAX_DLQ_OFFSET, MAX_DLQ_PAGE } from '../dlq/dlq.controller.js';
import { FaultsUpdate } from '../faults/faults.js';
import { MAX_ORDERS_PAGE } from '../orders/orders.controller.js';
import { OrderRequest } from '../orders/order-request.js';
import { PageviewRequest } from '../pageviews/pageview-request.js';
import { scenarioPaths, scenarioSchemas } from '../scenarios/scenarios.openapi.js';
import { systemPaths } from '../system/system.openapi.js';
import { explorerPaths, explorerSchemas } from '../explorer/explorer.openapi.js';
import { BODY_LIMIT_BYTES } from './http.config.js';
import { methodNotAllowedResponse, withCommonResponses } from './openapi-responses.js';
import {
  error,
  fromZod,
  integer,
  json,
  nullable,
  ref,
  string,
  type Schema,
} from './openapi-schema.js';

const counts = { type: 'object', additionalProperties: integer };

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error', 'message'],
    properties: {
      error: { ...string, example: 'invalid_request' },
      message: string,
      issues: {
        type: 'array',
        items: {
          type: 'object',
          properties: { field: { ...string, example: 'items.0.quantity' }, message: string },
        },
      },
    },
  },
  OrderRequest: fromZod(OrderRequest),
  OrderAccepted: {
    type: 'object',
    properties: {
      orderId: { ...string, format: 'uuid' },
      status: { ...string, enum: ['PENDING', 'COMPLETED', 'CANCELLED'] },
    },
  },
  TimelineEntry: {
    type: 'object',
    description:
      'An event of the order, a retry of one (`kind: retry`) or a dead letter (`kind: dead-letter`).',
    properties: {
      kind: { ...string, enum: ['event', 'retry', 'dead-letter'] },
      type: { ...string, example: 'OrderPlaced' },
      eventId: {
        ...string,
        description: 'the event id; `topic:partition:offset` for a retry or a dead letter',
      },
      topic: { ...string, example: topics.orders.name },
      partition: integer,
      offset: integer,
      timestamp: { ...string, format: 'date-time' },
      causationId: nullable(string),
      waitMs: { ...integer, description: 'how long the cause waited in its topic' },
      processMs: { ...integer, description: 'from the cause being taken to this record' },
      compensates: { ...string, description: 'the eventId of the step this compensation undoes' },
      attempt: integer,
      maxAttempts: integer,
      notBefore: { ...string, format: 'date-time' },
      error: string,
      group: string,
      reason: { ...string, example: 'retries_exhausted' },
      redrivenFrom: { ...integer, description: 'the DLQ offset a redriven retry came from' },
    },
  },
  OrderLine: {
    type: 'object',
    properties: { productId: string, quantity: integer, unitPrice: integer },
  },
  Order: {
    type: 'object',
    properties: {
      orderId: { ...string, format: 'uuid' },
      status: { ...string, enum: ['PENDING', 'COMPLETED', 'CANCELLED'] },
      reason: { ...string, enum: ['payment', 'inventory', 'timeout'] },
      reasons: { type: 'array', items: string },
      details: { type: 'array', items: string },
      payment: { ...string, enum: ['AUTHORIZED', 'DECLINED', 'VOIDED'] },
      inventory: { ...string, enum: ['RESERVED', 'REJECTED', 'RELEASED'] },
      items: { type: 'array', items: ref('OrderLine') },
      total: { ...integer, description: 'cents, from catalog prices' },
      customerEmail: string,
      createdAt: { ...string, format: 'date-time' },
      updatedAt: { ...string, format: 'date-time' },
      timeline: { type: 'array', items: ref('TimelineEntry') },
    },
  },
  OrderPage: {
    type: 'object',
    properties: {
      total: integer,
      limit: integer,
      offset: integer,
      orders: { type: 'array', items: ref('Order') },
    },
  },
  Product: {
    type: 'object',
    properties: {
      id: { ...string, example: catalog[0]?.id },
      name: string,
      price: { ...integer, description: 'cents' },
      stock: { ...integer, description: 'available now' },
      reserved: integer,
      sold: integer,
      initialStock: integer,
    },
  },
  PageviewRequest: fromZod(PageviewRequest),
  TopProducts: {
    type: 'object',
    description: `The latest TopProductsUpdated of ${topics.snapshots.name}`,
    properties: {
      windowStart: { ...string, format: 'date-time' },
      windowEnd: { ...string, format: 'date-time' },
      byQuantity: { type: 'array', items: { type: 'object' } },
      byRevenue: { type: 'array', items: { type: 'object' } },
      pageviews: { type: 'object' },
      eventId: string,
      occurredAt: { ...string, format: 'date-time' },
    },
  },
  DlqStats: {
    type: 'object',
    properties: {
      total: integer,
      byReason: counts,
      bySourceTopic: counts,
      byGroup: counts,
      redriven: integer,
      oldest: nullable({ ...string, format: 'date-time' }),
      newest: nullable({ ...string, format: 'date-time' }),
    },
  },
  DeadLetter: {
    type: 'object',
    properties: {
      offset: integer,
      key: nullable(string),
      reason: { ...string, example: 'retries_exhausted' },
      error: string,
      sourceTopic: nullable(string),
      sourcePartition: nullable(integer),
      sourceOffset: nullable(integer),
      group: nullable(string),
      at: { ...string, format: 'date-time' },
      eventType: nullable(string),
      retries: nullable(integer),
      valuePreview: string,
      valueBytes: integer,
      headers: { type: 'object', additionalProperties: string },
      redrivenFrom: nullable(integer),
      redriven: { type: 'boolean' },
    },
  },
  Faults: {
    type: 'object',
    properties: {
      inventoryFailureRate: { type: 'number', minimum: 0, maximum: 1 },
      paymentLimitCents: integer,
      declinedCards: { type: 'array', items: string },
      source: { ...string, enum: ['default', 'kafka'] },
      configuredAt: nullable({ ...string, format: 'date-time' }),
    },
  },
  FaultsUpdate: fromZod(FaultsUpdate),
  Health: {
    type: 'object',
    properties: {
      status: { ...string, enum: ['ok', 'unavailable'] },
      checks: {
        type: 'object',
        additionalProperties: { ...string, enum: ['up', 'down', 'starting', 'paused'] },
        example: { kafka: 'up', 'read-model': 'up' },
      },
    },
  },
  ...explorerSchemas,
};

const paths: Record<string, Record<string, unknown>> = {
  '/orders': {
    post: {
      tags: ['orders'],
      summary: 'Place an order',
      description:
        'Validates the body, prices it from the catalog (never from the client) and publishes ' +
        `OrderPlaced to ${topics.orders.name}. Nothing is published for rejected input. ` +
        'With an Idempotency-Key, a retry returns the same order (200) instead of placing another.',
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'A retry with the same key and body returns the first answer',
          schema: { ...string, pattern: '^[\\x21-\\x7e]{1,255}$' },
        },
      ],
      requestBody: {
        required: true,
        ...json(ref('OrderRequest'), {
          customerEmail: 'ada@example.com',
          items: [{ productId: 'sku-keyboard', quantity: 1 }],
          cardNumber: '4242424242424242',
        }),
      },
      responses: {
        201: { description: 'Placed', ...json(ref('OrderAccepted')) },
        200: {
          description: 'Placed before with this Idempotency-Key',
          ...json(ref('OrderAccepted')),
        },
        400: error('Invalid field(s) or Idempotency-Key (`invalid_request`, with `issues`)'),
        422: error('Unknown product, or an Idempotency-Key reused for a different order'),
        503: error('Kafka unavailable, or the read model still starting (with Idempotency-Key)'),
      },
    },
    get: {
      tags: ['orders'],
      summary: 'Orders, newest first, from the read model',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          schema: { ...integer, minimum: 1, maximum: MAX_ORDERS_PAGE, default: 50 },
        },
        { name: 'offset', in: 'query', schema: { ...integer, minimum: 0, default: 0 } },
      ],
      responses: {
        200: { description: 'A page', ...json(ref('OrderPage')) },
        400: error('`limit` or `offset` out of range or not a whole number'),
      },
    },
  },
  '/orders/{id}': {
    get: {
      tags: ['orders'],
      summary: 'One order: status and timeline (each event with topic, partition, offset)',
      description:
        'Answered from the read model folded from the topics. A GET right after the POST waits (up to 5 s) for the gateway to read its own write back from ' +
        `${topics.orders.name}, instead of answering 404.`,
      parameters: [{ name: 'id', in: 'path', required: true, schema: string }],
      responses: {
        200: { description: 'The order', ...json(ref('Order')) },
        404: error('Unknown, or older than the newest orders the gateway keeps'),
      },
    },
  },
  '/products': {
    get: {
      tags: ['products'],
      summary: `The catalog with live stock (from ${topics.stock.name})`,
      responses: {
        200: { description: 'Products', ...json({ type: 'array', items: ref('Product') }) },
      },
    },
  },
  '/products/{id}': {
    get: {
      tags: ['products'],
      summary: 'One product',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { ...string, example: catalog[0]?.id } },
      ],
      responses: {
        200: { description: 'The product', ...json(ref('Product')) },
        404: error('Unknown'),
      },
    },
  },
  '/events': {
    get: {
      tags: ['events'],
      summary: 'Server-sent events: every record of the flow as it is written',
      description:
        'One event per record, `data` = { topic, partition, offset, key, timestamp, type, headers, ' +
        'event, invalid }, `id` = topic:partition:offset. Only records written after connecting. ' +
        'A `: heartbeat` comment every 15 s. Without `topic`, the topics of the order flow.',
      parameters: [
        {
          name: 'topic',
          in: 'query',
          description: 'Only these registry topics (repeatable; internal ones allowed)',
          schema: {
            type: 'array',
            minItems: 1,
            items: { ...string, enum: allTopics.map((topic) => topic.name) },
          },
          style: 'form',
          explode: true,
        },
        {
          name: 'key',
          in: 'query',
          description: 'Only records with this key',
          schema: { ...string, minLength: 1, maxLength: 1000 },
        },
      ],
      responses: {
        200: { description: 'text/event-stream', content: { 'text/event-stream': {} } },
        400: error('A topic outside the registry, or an empty or too long `key`'),
        503: error('Kafka unavailable: the stream cannot start'),
      },
    },
  },
  '/pageviews': {
    post: {
      tags: ['analytics'],
      summary: `Record a page view (PageViewed to ${topics.pageviews.name})`,
      requestBody: {
        required: true,
        ...json(ref('PageviewRequest'), { page: '/products', sessionId: 's-1' }),
      },
      responses: {
        202: {
          description: 'Written',
          ...json({ type: 'object', properties: { eventId: string } }),
        },
        400: error('Invalid field(s)'),
        422: error('Unknown product'),
        503: error('Kafka unavailable'),
      },
    },
  },
  '/analytics/top-products': {
    get: {
      tags: ['analytics'],
      summary: 'The latest top-products snapshot',
      responses: {
        200: { description: 'Snapshot', ...json(ref('TopProducts')) },
        404: error('No snapshot yet (`no_snapshot`)'),
      },
    },
  },
  '/metrics/dlq': {
    get: {
      tags: ['dead letters'],
      summary: `Dead-letter counts of ${topics.dlq.name}`,
      responses: { 200: { description: 'Counts', ...json(ref('DlqStats')) } },
    },
  },
  '/dlq': {
    get: {
      tags: ['dead letters'],
      summary: 'Dead letters, newest first',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          schema: { ...integer, minimum: 1, maximum: MAX_DLQ_PAGE, default: 100 },
        },
      ],
      responses: {
        200: {
          description: 'Entries',
          ...json({
            type: 'object',
            properties: { total: integer, entries: { type: 'array', items: ref('DeadLetter') } },
          }),
        },
        400: error('`limit` out of range or not a whole number'),
      },
    },
  },
  '/dlq/{offset}/redrive': {
    post: {
      tags: ['dead letters'],
      summary: `Send a dead letter back to ${topics.retry.name} for the group that gave up on it`,
      parameters: [
        {
          name: 'offset',
          in: 'path',
          required: true,
          description: `An offset of ${topics.dlq.name}`,
          schema: { ...integer, minimum: 0, maximum: MAX_DLQ_OFFSET },
        },
      ],
      responses: {
        202: { description: 'Redriven', ...json({ type: 'object' }) },
        400: error('Not an offset (a whole number of at most 15 digits)'),
        404: error('No dead letter at this offset'),
        409: error('Redriven already'),
        422: error('The dead letter lacks its group or source headers'),
        503: error('Kafka unavailable'),
      },
    },
  },
  '/faults': {
    get: {
      tags: ['faults'],
      summary: 'The fault switches in effect',
      responses: { 200: { description: 'Switches', ...json(ref('Faults')) } },
    },
    put: {
      tags: ['faults'],
      summary: `Change fault switches (FaultsConfigured to ${topics.faults.name})`,
      requestBody: { required: true, ...json(ref('FaultsUpdate'), { inventoryFailureRate: 0.3 }) },
      responses: {
        200: { description: 'The switches now', ...json(ref('Faults')) },
        400: error('Invalid or unknown field(s)'),
        503: error('Kafka unavailable, or the gateway still reading the switches'),
      },
    },
  },
  '/health': {
    get: {
      tags: ['operations'],
      summary: 'Kafka connection and read model',
      responses: {
        200: { description: 'Healthy', ...json(ref('Health')) },
        503: {
          description: 'Not (yet) healthy: names the check that is not up',
          ...json(ref('Health')),
        },
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['operations'],
      summary: 'Prometheus metrics',
      responses: { 200: { description: 'text/plain', content: { 'text/plain': {} } } },
    },
  },
  ...explorerPaths,
};

/** The OpenAPI document served at /docs (UI), /docs/openapi.json and /docs/openapi.yaml. */
export function openApiDocument(): OpenAPIObject {
  const info = new DocumentBuilder()
    .setTitle('kafkadog API gateway')
    .setDescription(
      'The HTTP door into kafkadog: commands become events on Kafka, queries are answered from ' +
        'views rebuilt from Kafka. Errors are `{ error, message, issues? }`; a 400 names each ' +
        'bad field in `issues`. Every POST and PUT may also answer 400 `invalid_json`, 403 ' +
        '`forbidden_origin` (sent by a browser page of another origin than the dashboard) and ' +
        `413 \`payload_too_large\` (a body over ${BODY_LIMIT_BYTES} bytes). A method that a path ` +
        'does not have is 405 `method_not_allowed` with an `Allow` header ' +
        '(`#/components/responses/MethodNotAllowed`); an unknown path is 404. While the gateway ' +
        'starts (it waits for Kafka, then reads its topics), every request gets 503 `starting`.',
    )
    .setVersion('1')
    .build();
  return {
    ...info,
    paths: withCommonResponses({ ...paths, ...systemPaths, ...controlPaths, ...scenarioPaths }),
    components: {
      schemas: { ...schemas, ...controlSchemas, ...scenarioSchemas },
      responses: { MethodNotAllowed: methodNotAllowedResponse },
    },
  };
}
