import { ConfigError } from '@kafkadog/service';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LabClient, LabError } from './lab.client.js';
import { labConfigFromEnv } from './lab.config.js';

describe('LAB_URL', () => {
  it('is optional: no lab when unset or empty', () => {
    expect(labConfigFromEnv({}).url).toBeUndefined();
    expect(labConfigFromEnv({ LAB_URL: '' }).url).toBeUndefined();
  });

  it('is a URL, kept without trailing slashes', () => {
    expect(labConfigFromEnv({ LAB_URL: 'http://127.0.0.1:4100/' }).url).toBe(
      'http://127.0.0.1:4100',
    );
    expect(() => labConfigFromEnv({ LAB_URL: 'nope' })).toThrow(ConfigError);
    expect(() => labConfigFromEnv({ LAB_URL: 'nope' })).toThrow(/LAB_URL/);
  });
});

type Handler = (request: IncomingMessage, body: string) => [number, unknown];

describe('LabClient', () => {
  let server: Server | undefined;
  const seen: string[] = [];

  async function lab(handler: Handler): Promise<LabClient> {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${body}`.trim());
        const [status, json] = handler(request, body);
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new LabClient({ url: `http://127.0.0.1:${port}` });
  }

  afterEach(async () => {
    seen.length = 0;
    const running = server;
    server = undefined;
    if (running) await new Promise((resolve) => running.close(resolve));
  });

  it('starts an instance and reads what the lab answered', async () => {
    const instance = {
      name: 'payment-service#2',
      service: 'payment-service',
      url: 'http://127.0.0.1:3013',
      pid: 42,
    };
    const client = await lab(() => [201, instance]);
    expect(client.available).toBe(true);
    await expect(client.startInstance('payment-service')).resolves.toEqual(instance);
    expect(seen).toEqual(['POST /lab/instances {"service":"payment-service"}']);
  });

  it('stops an instance by its encoded name, with the signal asked for', async () => {
    const client = await lab(() => [200, { stopped: 'payment-service#2' }]);
    await client.stopInstance('payment-service#2', 'SIGKILL');
    await client.stopInstance('payment-service#2');
    expect(seen).toEqual([
      'DELETE /lab/instances/payment-service%232?signal=SIGKILL',
      'DELETE /lab/instances/payment-service%232?signal=SIGTERM',
    ]);
  });

  it("passes on the lab's refusal with its code and message", async () => {
    const client = await lab(() => [
      500,
      { error: 'lab_failed', message: 'Kafka was not started by this npm start' },
    ]);
    const error = await client.stopKafka().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error).toMatchObject({
      code: 'LAB_REFUSED',
      message:
        'could not stop Kafka: the lab answered lab_failed: Kafka was not started by this npm start',
    });
  });

  it('refuses an answer of the wrong shape', async () => {
    const client = await lab(() => [201, { name: 'payment-service#2' }]);
    await expect(client.startInstance('payment-service')).rejects.toMatchObject({
      code: 'LAB_BAD_ANSWER',
    });
  });

  it('says when there is no lab, or nothing answers', async () => {
    const none = new LabClient({ url: undefined });
    expect(none.available).toBe(false);
    await expect(none.startKafka()).rejects.toMatchObject({ code: 'LAB_NOT_CONFIGURED' });
    const gone = new LabClient({ url: 'http://127.0.0.1:1' });
    await expect(gone.instances()).rejects.toMatchObject({
      code: 'LAB_UNREACHABLE',
      message: expect.stringContaining('not reachable') as unknown,
    });
  });
});
