import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { call, useGateway } from './gateway.js';

/** A stand-in service whose GET /health answers `status` with `body`. */
async function fakeService(
  status: number,
  body: unknown,
): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const healthy = await fakeService(200, { status: 'ok', checks: { kafka: 'up' } });
const cutOff = await fakeService(503, { status: 'unavailable', checks: { kafka: 'down' } });
// Bound and closed again: nothing listens there.
const gone = await fakeService(200, {});
await new Promise((resolve) => gone.server.close(resolve));

afterAll(async () => {
  await Promise.all(
    [healthy, cutOff].map(({ server }) => new Promise((resolve) => server.close(resolve))),
  );
});

describe('GET /system/health (real broker)', () => {
  const gateway = useGateway({
    SERVICE_URLS: `order-saga=${healthy.url},payment-service=${cutOff.url},inventory-service=${gone.url}`,
  });

  it("reports Kafka and each service's own /health answer", async () => {
    const response = await call<{
      kafka: { status: string; brokers: string[] };
      services: { name: string; status: string; detail?: string }[];
    }>(`${gateway.url}/system/health`);
    expect(response.status).toBe(200);
    expect(response.body.kafka).toEqual({ status: 'up', brokers: gateway.brokers });
    expect(response.body.services).toEqual([
      expect.objectContaining({ name: 'api-gateway', status: 'up' }),
      expect.objectContaining({ name: 'order-saga', status: 'up', url: healthy.url }),
      expect.objectContaining({ name: 'payment-service', status: 'down', detail: 'kafka: down' }),
      expect.objectContaining({
        name: 'inventory-service',
        status: 'down',
        detail: `not reachable at ${gone.url}`,
      }),
    ]);
  });
});
