import { topics } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, orderBody, type FaultSwitches } from '../test/support/orders.js';
import { useStack } from '../test/support/system.js';
import { readTopic } from '../test/support/topics.js';
import { waitFor } from '../scripts/lib/wait.js';
import { useBrowser } from './support/browser.js';

/**
 * What a web page of another origin can do to the local kafkadog while it is open in the
 * learner's browser: send "simple" requests (a form, a no-cors fetch with a text/plain body),
 * which browsers send without asking CORS first. The gateway must refuse them all.
 */
const POISON = 'sent-by-another-site';

function attackPage(gatewayUrl: string, email: string): string {
  const order = JSON.stringify(
    orderBody([{ productId: 'sku-mouse', quantity: 1 }], { customerEmail: email }),
  );
  return `<!doctype html><html lang="en"><title>another site</title><body>
<form id="form" method="POST" action="${gatewayUrl}/orders" enctype="text/plain" target="sink">
<input name='${order.slice(0, -1)},"x":"' value='"}'></form><iframe name="sink"></iframe>
<script>
window.attack = async () => {
  const send = (path, body) => fetch('${gatewayUrl}' + path, { method: 'POST', mode: 'no-cors',
    headers: { 'content-type': 'text/plain' }, body });
  await send('/orders', ${JSON.stringify(order)});
  await send('/explorer/topics/orders.v1/messages', '{"value":"${POISON}"}');
  await send('/explorer/groups/notification-service/pause', '{}');
  // Not a "simple" request: the browser asks CORS first, the gateway does not allow this origin,
  // and the PUT itself is never sent.
  const put = await fetch('${gatewayUrl}/faults', { method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: '{"inventoryFailureRate":1}' })
    .then(() => 'sent', () => 'blocked');
  document.getElementById('form').submit();
  await new Promise((resolve) => document.querySelector('iframe').onload = resolve);
  return put;
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

  it('refuses its order, message, pause and form with 403, CORS stops its PUT, and nothing reaches Kafka', async () => {
    const gateway = stack().url('api-gateway');
    const { page } = await browser.newPage();
    const refused: number[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(gateway) && response.request().method() !== 'OPTIONS') {
        refused.push(response.status());
      }
    });
    await page.goto(foreignUrl);
    expect(
      await page.evaluate(() => (globalThis as unknown as { attack(): Promise<string> }).attack()),
    ).toBe('blocked');
    await waitFor(() => refused.length >= 4, { what: 'the four requests to be answered' });
    expect(refused).toEqual([403, 403, 403, 403]);

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
    expect(placed.map((record) => record.text).join('\n')).not.toContain(POISON);
    const group = await getJson<{ paused: boolean }>(
      `${gateway}/explorer/groups/notification-service`,
    );
    expect(group.paused).toBe(false);
    const faults = await getJson<FaultSwitches>(`${gateway}/faults`);
    expect(faults.inventoryFailureRate).toBe(0);
  });
});
