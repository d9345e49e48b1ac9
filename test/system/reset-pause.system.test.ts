// A learner replays the notification service from the dashboard while everything runs: the
// gateway pauses its group through api-gateway.control.v1, the service's consumers leave, the
// offsets go back to the beginning, the consumers come back and every outcome is read again;
// the notification service recognises each one and sends no second email.
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { waitForQuiet, withAdmin } from '../support/groups.js';
import { counter, fetchMetrics } from '../support/metrics.js';
import { emailLines, orderBody, placeOrders } from '../support/orders.js';
import { useStack } from '../support/system.js';
import { countByOrder, readTopic } from '../support/topics.js';
import { waitFor } from '../../scripts/lib/wait.js';

const ORDERS = 10;
const stack = useStack({
  services: [
    'api-gateway',
    'order-saga',
    'payment-service',
    'inventory-service',
    'notification-service',
  ],
});

async function post(url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

async function consumersCheck(serviceUrl: string): Promise<{ status: number; check: unknown }> {
  const response = await fetch(`${serviceUrl}/health`);
  const body = (await response.json()) as { checks?: Record<string, string> };
  return { status: response.status, check: body.checks?.consumers };
}

describe('reset with pause from the explorer, services running', () => {
  it('pauses a single-active service healthily, and replays notification-service with no new email', async () => {
    const { url, brokers, logs } = stack();
    const gateway = url('api-gateway');
    const ids = await placeOrders(
      gateway,
      Array.from({ length: ORDERS }, () => orderBody([{ productId: 'sku-mouse', quantity: 1 }])),
      5,
    );
    await waitFor(
      () => ids.every((id) => emailLines(logs('notification-service'), id).length === 1),
      { what: 'an email for every order', timeoutMs: 60_000 },
    );
    await waitForQuiet(brokers);

    // Inventory runs behind its lease: paused, it stays healthy and says so; resumed, it rejoins.
    const inventory = url('inventory-service');
    expect((await post(`${gateway}/explorer/groups/inventory-service/pause`)).status).toBe(202);
    await waitFor(
      async () => {
        const health = await consumersCheck(inventory);
        return health.status === 200 && health.check === 'paused';
      },
      { what: 'inventory /health 200 with consumers: paused' },
    );
    await withAdmin(brokers, async (admin) =>
      expect((await admin.describeGroup('inventory-service')).members).toEqual([]),
    );
    expect((await post(`${gateway}/explorer/groups/inventory-service/resume`)).status).toBe(202);
    await waitFor(async () => (await consumersCheck(inventory)).check === 'up', {
      what: 'inventory consumers up again',
    });
    expect(
      logs('inventory-service').some((line) => line.includes('paused: inventory-service')),
    ).toBe(true);

    const reset = await post(`${gateway}/explorer/groups/notification-service/reset`, {
      to: 'earliest',
      dryRun: false,
      pause: true,
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ applied: true, paused: true });

    const outcomes = countByOrder(await readTopic(brokers, topics.outcomes.name));
    const replayed = [...outcomes.values()].reduce((sum, count) => sum + count, 0);
    await waitFor(
      async () =>
        counter(
          await fetchMetrics(url('notification-service')),
          'kafkadog_duplicates_suppressed_total',
          { group: 'notification-service' },
        ) === replayed,
      { what: `${replayed} replayed outcomes suppressed`, timeoutMs: 60_000 },
    );
    expect(ids.filter((id) => emailLines(logs('notification-service'), id).length !== 1)).toEqual(
      [],
    );
    const said = () => logs('notification-service');
    expect(said().some((line) => line.includes('paused: notification-service'))).toBe(true);
    // Logged once both consumers are back: the main one may have read the whole replay before
    // the retry worker has joined its group.
    await waitFor(() => said().some((line) => line.includes('resumed: notification-service')), {
      what: 'notification-service to log its resume',
    });
  });
});
