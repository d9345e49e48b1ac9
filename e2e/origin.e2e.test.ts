import { topics } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, orderBody, type FaultSwitches } from '../test/support/orders.js';
import { useStack } from '../test/support/system.js';
import { readTopic } from '../test/support/topics.js';
import { waitFor } from '../test/support/wait.js';
import { useBrowser } from './support/browser.js';

/**
 * What a web page of another origin can do to the local kafkadog while it is open in the
 * learner's browser: send "simple" requests (a form, a no-cors fetch with a text/plain body),
 * which browsers send without asking CORS first. The gateway must refuse them all.
 */
function attackPage(gatewayUrl: string, email: string): string {
  const order = JSON.stringify(
    orderBody([{ productId: 'sku-mouse', quantity: 1 }], { customerEmail: email }),
  );
  return `<!doctype html><html lang="en"><title>another site</title><body>
<form id="form" method="POST" action="${gatewayUrl}/orders" enctype="text/plain" target="sink">
<input name='${order.slice(0, -1)},"x":"' value='"}'></form><iframe name="sink"></iframe>
<script>
window.attack = async () => {
  await fetch('${gatewayUrl}/orders', { method: 'POST', mode: 'no-cors',
    headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(order)} });
  await fetch('${gatewayUrl}/faults', { method: 'PUT', mode: 'no-cors',
    headers: { 'content-type': 'text/plain' }, body: '{"inventoryFailureRate":1}' }).catch(() => {});
  document.getElementById('form').submit();
  await new Promise((resolve) => document.querySelector('iframe').onload = resolve);
  return 'sent';
};
</script></body></html>`;
}

describe('a page of another origin cannot drive kafkadog (real stack, headless Chromium)', () => {
  const stack = useStack({ dashboard: true });
  const browser = useBrowser();
  let server: Server;
  let foreignUrl = '';
  const email = `attacker-${randomUUID()}@example.com`;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(attackPage(stack().url('api-gateway'), email));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses its order, its fault switch and its form with 403, and nothing reaches Kafka', async () => {
    const gateway = stack().url('api-gateway');
    const { page } = await browser.newPage();
    const refused: number[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(gateway)) refused.push(response.status());
    });
    await page.goto(foreignUrl);
    expect(
      await page.evaluate(() => (globalThis as unknown as { attack(): Promise<string> }).attack()),
    ).toBe('sent');
    await waitFor(() => refused.length >= 3, { what: 'the three requests to be answered' });
    expect(refused).toEqual([403, 403, 403]);

    // The same request from the dashboard's own origin goes through: the refusal is the origin's.
    const dashboard = await browser.newPage();
    await dashboard.page.goto(stack().dashboardUrl!);
    const control = `dashboard-${randomUUID()}@example.com`;
    const status = await dashboard.page.evaluate(
      async ([url, body]) =>
        (
          await fetch(`${url}/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          })
        ).status,
      [
        gateway,
        JSON.stringify(
          orderBody([{ productId: 'sku-mouse', quantity: 1 }], { customerEmail: control }),
        ),
      ] as const,
    );
    expect(status).toBe(201);

    const placed = await readTopic(stack().brokers, topics.orders.name);
    const emails = placed.map((record) =>
      record.event?.type === 'OrderPlaced' ? record.event.data.customerEmail : undefined,
    );
    expect(emails).toContain(control);
    expect(emails).not.toContain(email);
    const faults = await getJson<FaultSwitches>(`${gateway}/faults`);
    expect(faults.inventoryFailureRate).toBe(0);
  });
});
