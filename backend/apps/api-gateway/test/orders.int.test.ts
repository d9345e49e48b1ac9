import { causedBy, createEvent, parseEvent, topics } from '@kafkadog/contracts';
import { createAdmin, createProducer, silentLogger } from '@kafkadog/kafka';
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import { call, endOffsets, eventsIn, readTopic, validOrder, useGateway } from './gateway.js';

const ordersTopic = topics.orders.name;

interface TimelineEntry {
  type: string;
  topic: string;
  partition: number;
  offset: number;
  timestamp: string;
}
interface Order {
  orderId: string;
  status: string;
  total: number;
  timeline: TimelineEntry[];
}

describe('api-gateway orders (real broker, gateway as its own process)', () => {
  const gateway = useGateway();
  const { brokers } = gateway;

  it('answers every kind of bad input with a 4xx naming the problem, and writes nothing to orders.v1', async () => {
    const before = await endOffsets(brokers, ordersTopic);
    const marker = () => `bad-${randomUUID()}`;
    const markers: string[] = [];
    const post = (body: string, headers: Record<string, string> = {}) =>
      call(`${gateway.url}/orders`, { method: 'POST', body, headers });
    const bad = (order: object) => {
      const id = marker();
      markers.push(id);
      return JSON.stringify({ ...validOrder(`${id}@example.com`), ...order });
    };

    const missing = marker();
    markers.push(missing);
    const cases = [
      {
        what: 'missing fields',
        response: await post(JSON.stringify({ customerEmail: `${missing}@example.com` })),
        status: 400,
        error: 'invalid_request',
        fields: ['items', 'cardNumber'],
      },
      {
        what: 'zero quantity',
        response: await post(bad({ items: [{ productId: 'sku-mouse', quantity: 0 }] })),
        status: 400,
        error: 'invalid_request',
        fields: ['items.0.quantity'],
      },
      {
        what: 'negative quantity',
        response: await post(
          bad({
            items: [
              { productId: 'sku-mouse', quantity: 1 },
              { productId: 'sku-mouse', quantity: -2 },
            ],
          }),
        ),
        status: 400,
        error: 'invalid_request',
        fields: ['items.1.quantity'],
      },
      {
        what: 'wrong types',
        response: await post(
          bad({ items: [{ productId: 'sku-mouse', quantity: '1' }], cardNumber: 4242424242424242 }),
        ),
        status: 400,
        error: 'invalid_request',
        fields: ['items.0.quantity', 'cardNumber'],
      },
      {
        what: 'unknown product',
        response: await post(bad({ items: [{ productId: 'sku-does-not-exist', quantity: 1 }] })),
        status: 422,
        error: 'unknown_product',
        fields: ['items.0.productId'],
      },
      {
        what: 'a bad Idempotency-Key',
        response: await post(bad({}), { 'Idempotency-Key': 'has spaces' }),
        status: 400,
        error: 'invalid_request',
        fields: ['Idempotency-Key'],
      },
      {
        what: 'a body over 64 KB',
        response: await post(bad({ note: 'x'.repeat(70 * 1024) })),
        status: 413,
        error: 'payload_too_large',
        fields: [],
      },
      {
        what: 'a body that is not JSON',
        response: await post(`customerEmail=${marker()}&items=sku-mouse`, {
          'content-type': 'application/x-www-form-urlencoded',
        }),
        status: 400,
        error: 'invalid_json',
        fields: [],
      },
      {
        what: 'broken JSON',
        response: await post(`${bad({}).slice(0, -1)},`),
        status: 400,
        error: 'invalid_json',
        fields: [],
      },
    ];
    for (const { what, response, status, error, fields } of cases) {
      const body = response.body as {
        error: string;
        message: string;
        issues?: { field: string }[];
      };
      expect({ what, status: response.status, error: body.error }).toEqual({ what, status, error });
      expect(body.message, what).toEqual(expect.any(String));
      expect(
        (body.issues ?? []).map((issue) => issue.field),
        what,
      ).toEqual(fields);
    }

    // A good order after the bad ones: it is in the window read below, the bad ones are not.
    const control = `good-${randomUUID()}`;
    const placed = await call<{ orderId: string }>(`${gateway.url}/orders`, {
      method: 'POST',
      json: validOrder(`${control}@example.com`),
    });
    expect(placed.status).toBe(201);

    const written = await readTopic(brokers, ordersTopic, before);
    const text = (record: { value: Buffer | undefined }) => record.value?.toString('utf8') ?? '';
    expect(written.filter((record) => text(record).includes(control))).toHaveLength(1);
    for (const id of markers) {
      expect(
        written.filter((record) => text(record).includes(id)),
        id,
      ).toEqual([]);
    }
  });

  it('places one order per Idempotency-Key, also for concurrent retries', async () => {
    const key = `key-${randomUUID()}`;
    const order = validOrder();
    const post = () =>
      call<{ orderId: string; status: string }>(`${gateway.url}/orders`, {
        method: 'POST',
        json: order,
        headers: { 'Idempotency-Key': key },
      });

    const concurrent = await Promise.all([post(), post(), post()]);
    const later = await post();
    const responses = [...concurrent, later];
    const orderIds = new Set(responses.map((response) => response.body.orderId));
    expect(orderIds.size).toBe(1);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 201]);
    expect(later.headers.get('idempotent-replayed')).toBe('true');

    const [orderId] = [...orderIds];
    const written = await readTopic(brokers, ordersTopic);
    expect(eventsIn(written, (event) => event.orderId === orderId)).toHaveLength(1);
    expect(eventsIn(written, (event) => event.data?.idempotencyKey === key)).toHaveLength(1);

    const reused = await call(`${gateway.url}/orders`, {
      method: 'POST',
      json: { ...order, items: [{ productId: 'sku-mouse', quantity: 2 }] },
      headers: { 'Idempotency-Key': key },
    });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: 'idempotency_key_reused', orderId });
  });

  it('serves the order from the read model, with where its OrderPlaced is in Kafka, and rebuilds it after a restart', async () => {
    const key = `key-${randomUUID()}`;
    const order = validOrder();
    const placed = await call<{ orderId: string; status: string }>(`${gateway.url}/orders`, {
      method: 'POST',
      json: order,
      headers: { 'Idempotency-Key': key },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('PENDING');
    expect(placed.headers.get('location')).toBe(`/orders/${placed.body.orderId}`);
    const { orderId } = placed.body;

    const [record] = eventsIn(await readTopic(brokers, ordersTopic), (e) => e.orderId === orderId);
    expect(record).toBeDefined();

    const view = await waitFor(
      async () => {
        const response = await call<Order>(`${gateway.url}/orders/${orderId}`);
        return response.status === 200 && response.body;
      },
      { what: `GET /orders/${orderId}` },
    );
    expect(view).toMatchObject({ orderId, total: 2_999 });
    expect(view.timeline[0]).toEqual({
      kind: 'event',
      type: 'OrderPlaced',
      eventId: record!.headers['event-id'],
      causationId: null,
      topic: ordersTopic,
      partition: record!.partition,
      offset: Number(record!.offset),
      timestamp: new Date(record!.timestamp).toISOString(),
    });

    const page = await call<{ total: number; orders: Order[] }>(`${gateway.url}/orders?limit=500`);
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThanOrEqual(1);
    const created = page.body.orders.map((o) => (o as unknown as { createdAt: string }).createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect((await call(`${gateway.url}/orders/${randomUUID()}`)).status).toBe(404);

    // kill -9: nothing of the gateway's memory survives; everything comes back from the topics.
    await gateway.restart();

    const rebuilt = await call<Order>(`${gateway.url}/orders/${orderId}`);
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.timeline.slice(0, 1)).toEqual(view.timeline.slice(0, 1));

    const retried = await call<{ orderId: string }>(`${gateway.url}/orders`, {
      method: 'POST',
      json: order,
      headers: { 'Idempotency-Key': key },
    });
    expect(retried.status).toBe(200);
    expect(retried.body.orderId).toBe(orderId);
    const written = await readTopic(brokers, ordersTopic);
    expect(eventsIn(written, (event) => event.orderId === orderId)).toHaveLength(1);
  });

  it('answers a GET sent right after the POST with the order, never 404: it waits for its own write', async () => {
    // The feed reads orders.v1 up to 250 ms after the write: without the wait, most of these 404.
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const placed = await call<{ orderId: string }>(`${gateway.url}/orders`, {
          method: 'POST',
          json: validOrder(),
        });
        const view = await call<Order>(`${gateway.url}${placed.headers.get('location')}`);
        return [placed.status, view.status, view.body.orderId === placed.body.orderId];
      }),
    );
    expect(statuses).toEqual(Array.from({ length: 10 }, () => [201, 200, true]));
  });

  it("serves on GET /metrics how long orders take to an outcome, and every group's lag", async () => {
    const placed = await call<{ orderId: string }>(`${gateway.url}/orders`, {
      method: 'POST',
      json: validOrder(),
    });
    expect(placed.status).toBe(201);
    const [record] = eventsIn(
      await readTopic(brokers, ordersTopic),
      (e) => e.orderId === placed.body.orderId,
    );
    const parsed = parseEvent(record!.value, topics.orders);
    if (!parsed.ok || parsed.event.type !== 'OrderPlaced') throw new Error('no OrderPlaced');
    const { customerEmail, items, total } = parsed.event.data;
    // A group with committed offsets and no member: its lag is what is left to read.
    const groupId = `test.lag.${randomUUID()}`;
    const admin = createAdmin({ brokers, logger: silentLogger });
    const producer = createProducer({ brokers, clientId: 'test-metrics', logger: silentLogger });
    let ends: bigint[];
    try {
      await admin.resetGroupOffsets(groupId, [ordersTopic], 'earliest');
      ends = await endOffsets(brokers, ordersTopic);
      await producer.publish(
        causedBy(parsed.event, 'OrderCompleted', { customerEmail, items, total }),
      );
      // The feed may hand an outcome over before its OrderPlaced (one fetch, two topics): written
      // here in that order, a second apart, the cancellation still counts once its order arrives.
      const late = createEvent('OrderPlaced', parsed.event.data, { orderId: randomUUID() });
      await producer.publish(
        causedBy(late, 'OrderCancelled', { customerEmail, reasons: ['payment'], details: [] }),
      );
      await setTimeout(1_000);
      await producer.publish(late);
    } finally {
      await Promise.all([admin.close(), producer.close()]);
    }

    const metrics = await waitFor(
      async () => {
        const text = (await call<string>(`${gateway.url}/metrics`)).body;
        const counted = (outcome: string) =>
          new RegExp(
            `kafkadog_order_latency_seconds_count\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9]`,
          ).test(text);
        return counted('completed') && counted('cancelled') && text.includes(`group="${groupId}"`)
          ? text
          : undefined;
      },
      { what: 'the latency and the lag on GET /metrics', timeoutMs: 20_000 },
    );
    for (const [partition, end] of ends.entries()) {
      const lag = new RegExp(
        `kafkadog_consumer_group_lag\\{[^}]*group="${groupId}",topic="${ordersTopic}",partition="${partition}"[^}]*\\} (\\d+)`,
      ).exec(metrics);
      // Read from earliest: the whole partition is left (others may have written meanwhile).
      expect(Number(lag?.[1])).toBeGreaterThanOrEqual(Number(end));
    }
  });
});
