// Acceptance 9: services started before the broker wait for it (logging `waiting for Kafka at
// …` and retrying with backoff, never crashing), then work.
import { describe, expect, it } from 'vitest';
import { orderBody, placeOrder, waitForOrderStatus } from '../support/orders.js';
import { SERVICE_NAMES } from '../../scripts/lib/stack.js';
import { useStack } from '../support/system.js';
import { waitFor } from '../../scripts/lib/wait.js';

const stack = useStack({ deferBroker: true });

describe('services started before Kafka', () => {
  it('wait for it, then work', async () => {
    const { brokers, logs, isRunning, url } = stack();
    const waiting = `waiting for Kafka at ${brokers.join(',')}`;
    // Each one says it waits, at least twice (it retries), and its /health says it is starting.
    await waitFor(
      () =>
        SERVICE_NAMES.every(
          (name) => logs(name).filter((line) => line.includes(waiting)).length >= 2,
        ),
      { what: `every service to log "${waiting}" twice`, timeoutMs: 30_000 },
    );
    for (const name of SERVICE_NAMES) {
      expect(isRunning(name), name).toBe(true);
      const health = await fetch(`${url(name)}/health`);
      expect(health.status, name).toBe(503);
      expect(await health.json(), name).toMatchObject({
        status: 'starting',
        message: `${name} is starting: it waits for Kafka at ${brokers.join(',')}, then loads its state`,
      });
    }

    await stack().startBroker(); // starts Kafka, creates the topics, waits for every /health
    for (const name of SERVICE_NAMES) expect(isRunning(name), name).toBe(true);
    const gateway = url('api-gateway');
    const { orderId } = await placeOrder(
      gateway,
      orderBody([{ productId: 'sku-mouse', quantity: 1 }]),
    );
    await waitForOrderStatus(gateway, orderId, 'COMPLETED');
  });
});
