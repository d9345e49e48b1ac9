import { catalog, topics } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import {
  call,
  endOffsets,
  eventsIn,
  readTopic,
  validOrder,
  type LooseEvent,
  useGateway,
} from './gateway.js';

interface Streamed {
  readonly type: string | null;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly event: LooseEvent | null;
}

describe('api-gateway products, events, page views, faults, docs (real broker)', () => {
  const gateway = useGateway();
  const { brokers } = gateway;

  it('GET /products lists the catalog with prices and stock', async () => {
    const response = await call<{ id: string; name: string; price: number; stock: number }[]>(
      `${gateway.url}/products`,
    );
    expect(response.status).toBe(200);
    expect(response.body.map(({ id, name, price }) => ({ id, name, price }))).toEqual(
      catalog.map(({ id, name, price }) => ({ id, name, price })),
    );
    for (const product of response.body) expect(product.stock).toEqual(expect.any(Number));
  });

  it('GET /events streams an order placed after connecting, with its topic, partition and offset', async () => {
    const abort = new AbortController();
    const response = await fetch(`${gateway.url}/events`, { signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const reading = (async () => {
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return;
          text += Buffer.from(chunk.value as Uint8Array).toString('utf8');
        }
      } catch {
        // aborted
      }
    })();

    try {
      await waitFor(() => text.includes(': connected'), { what: 'the stream to open' });
      const placed = await call<{ orderId: string }>(`${gateway.url}/orders`, {
        method: 'POST',
        json: validOrder(),
      });
      const { orderId } = placed.body;
      const message = await waitFor(
        () =>
          text
            .split('\n\n')
            .filter((chunk) => chunk.includes(orderId) && chunk.includes('data: '))
            .map((chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)) as Streamed)
            .find((data) => data.type === 'OrderPlaced'),
        { what: `OrderPlaced ${orderId} on GET /events` },
      );
      const [record] = eventsIn(
        await readTopic(brokers, topics.orders.name),
        (e) => e.orderId === orderId,
      );
      expect(message).toMatchObject({
        topic: topics.orders.name,
        partition: record!.partition,
        offset: Number(record!.offset),
        event: { orderId, type: 'OrderPlaced' },
      });
      expect(text).toContain(`id: ${topics.orders.name}:${record!.partition}:${record!.offset}\n`);
    } finally {
      abort.abort();
      await reading;
    }
  });

  it('POST /pageviews writes a PageViewed; a bad one gets 400 naming the field', async () => {
    const sessionId = `session-${randomUUID()}`;
    const accepted = await call(`${gateway.url}/pageviews`, {
      method: 'POST',
      json: { page: '/products/sku-gpu', sessionId, productId: 'sku-gpu' },
    });
    expect(accepted.status).toBe(202);
    const written = await readTopic(brokers, topics.pageviews.name);
    expect(eventsIn(written, (event) => event.data?.sessionId === sessionId)).toHaveLength(1);

    const rejected = await call(`${gateway.url}/pageviews`, {
      method: 'POST',
      json: { page: '', sessionId },
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ issues: [{ field: 'page' }] });
    const unknown = await call(`${gateway.url}/pageviews`, {
      method: 'POST',
      json: { page: '/x', sessionId, productId: 'sku-nope' },
    });
    expect(unknown.status).toBe(422);
  });

  it('PUT /faults rejects invalid switches, naming them, and publishes nothing', async () => {
    const before = await endOffsets(brokers, topics.faults.name);
    const rejected = await call(`${gateway.url}/faults`, {
      method: 'PUT',
      json: { inventoryFailureRate: 7.5, paymentLimitCents: -1, unknownSwitch: true },
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({
      error: 'invalid_request',
      issues: [
        { field: 'inventoryFailureRate' },
        { field: 'paymentLimitCents' },
        { field: 'unknownSwitch' },
      ],
    });
    const written = await readTopic(brokers, topics.faults.name, before);
    expect(eventsIn(written, (event) => event.data?.inventoryFailureRate === 7.5)).toEqual([]);

    const current = await call<{
      inventoryFailureRate: unknown;
      paymentLimitCents: unknown;
      declinedCards: unknown;
      source: unknown;
    }>(`${gateway.url}/faults`);
    expect(current.status).toBe(200);
    expect(typeof current.body.inventoryFailureRate).toBe('number');
    expect(typeof current.body.paymentLimitCents).toBe('number');
    expect(Array.isArray(current.body.declinedCards)).toBe(true);
    expect(['default', 'kafka']).toContain(current.body.source);
  });

  it('refuses changes sent by a page of another origin (403) and writes nothing', async () => {
    const ordersBefore = await endOffsets(brokers, topics.orders.name);
    const faultsBefore = await endOffsets(brokers, topics.faults.name);
    const email = `foreign-${randomUUID()}@example.com`;
    // A text/plain body: what a page can send cross-origin without any CORS preflight.
    const order = await call(`${gateway.url}/orders`, {
      method: 'POST',
      headers: { Origin: 'http://evil.test', 'content-type': 'text/plain' },
      json: validOrder(email),
    });
    expect(order.status).toBe(403);
    expect(order.body).toMatchObject({ error: 'forbidden_origin' });
    const faults = await call(`${gateway.url}/faults`, {
      method: 'PUT',
      headers: { Origin: 'http://evil.test' },
      json: { inventoryFailureRate: 0.99 },
    });
    expect(faults.status).toBe(403);

    // The dashboard's origin may: and what it writes lands after anything the refused ones did.
    const allowed = await call(`${gateway.url}/faults`, {
      method: 'PUT',
      headers: { Origin: 'http://localhost:3000' },
      json: { inventoryFailureRate: 0 },
    });
    expect(allowed.status).toBe(200);
    const orders = await readTopic(brokers, topics.orders.name, ordersBefore);
    expect(eventsIn(orders, (event) => event.data?.customerEmail === email)).toEqual([]);
    const switches = await readTopic(brokers, topics.faults.name, faultsBefore);
    expect(eventsIn(switches, (event) => event.data?.inventoryFailureRate === 0.99)).toEqual([]);
    expect(eventsIn(switches, (event) => event.data?.inventoryFailureRate === 0)).toHaveLength(1);
  });

  it('serves health, OpenAPI docs, and CORS for the dashboard', async () => {
    const health = await call(`${gateway.url}/health`);
    expect(health.body).toMatchObject({
      status: 'ok',
      checks: { kafka: 'up', 'read-model': 'up' },
    });

    const ui = await fetch(`${gateway.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const document = await call<{ paths: Record<string, object> }>(
      `${gateway.url}/docs/openapi.json`,
    );
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/orders',
        '/orders/{id}',
        '/products',
        '/events',
        '/metrics/dlq',
        '/dlq/{offset}/redrive',
        '/faults',
      ]),
    );

    const preflight = await fetch(`${gateway.url}/orders`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'idempotency-key',
    );
    const foreign = await fetch(`${gateway.url}/products`, {
      headers: { Origin: 'http://evil.test' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
