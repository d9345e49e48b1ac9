// Kafka goes away for longer than a session and comes back: every service notices, gives up what
// Kafka no longer grants it (group memberships, the inventory and analytics leases), joins again
// and goes on. An order placed after the outage completes; nothing is lost or decided twice.
import { describe, expect, it } from 'vitest';
import { expectOneOutcomeEach, expectStockConserved } from '../support/invariants.js';
import { orderBody, placeOrder, waitForOrderStatus } from '../support/orders.js';
import { useStack } from '../support/system.js';
import { waitFor } from '../../scripts/lib/wait.js';

// The outage and the rejoin take longer than the default 30 s timeout would allow an order.
const stack = useStack({ env: { SAGA_TIMEOUT_MS: '90000' } });

describe('a Kafka outage longer than a session', () => {
  it('is ridden out: the services join again and the next order completes', async () => {
    const { url, brokers, logs } = stack();
    const gateway = url('api-gateway');
    const before = await placeOrder(gateway, orderBody([{ productId: 'sku-mouse', quantity: 1 }]));
    await waitForOrderStatus(gateway, before.orderId, 'COMPLETED');

    await stack().stopBroker();
    // Visible: every service's /health turns 503 and names Kafka.
    await waitFor(
      async () => {
        const answers = await Promise.all(
          stack().services.map(async (name) => {
            const response = await fetch(`${url(name)}/health`);
            const body = (await response.json()) as { checks?: { kafka?: string } };
            return response.status === 503 && body.checks?.kafka === 'down';
          }),
        );
        return answers.every(Boolean);
      },
      { what: 'every /health to report Kafka down', timeoutMs: 30_000 },
    );
    // An order now gets a clear 503 at once, not after the producer's retries.
    const refused = await fetch(`${gateway}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(orderBody([{ productId: 'sku-mouse', quantity: 1 }])),
    });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      error: 'kafka_unavailable',
      message: expect.stringContaining('Kafka does not answer') as unknown,
    });
    // Noticed: the active inventory stops deciding once its session must have expired.
    await waitFor(
      () => logs('inventory-service').some((line) => line.includes('gave up the lease')),
      { what: 'inventory-service to give up its lease', timeoutMs: 60_000 },
    );
    await stack().startBroker();

    const after = await placeOrder(gateway, orderBody([{ productId: 'sku-mouse', quantity: 2 }]));
    await waitForOrderStatus(gateway, after.orderId, 'COMPLETED', { timeoutMs: 90_000 });
    expect(
      logs('inventory-service').filter((line) => line.includes('holds the lease')).length,
    ).toBeGreaterThanOrEqual(2);

    await expectOneOutcomeEach(brokers, [before.orderId, after.orderId]);
    await expectStockConserved(brokers, url('inventory-service'), gateway);
  }, 240_000);
});
