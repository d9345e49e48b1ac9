import { afterEach, describe, expect, it } from 'vitest';
import { startLab, type Lab, type LabActions, type LabInstance } from './lab.js';

function fakeActions(calls: string[]): LabActions {
  const instances: LabInstance[] = [];
  return {
    instances: () => instances,
    startInstance: (service) => {
      calls.push(`start ${service}`);
      const instance = { name: `${service}#2`, service, url: 'http://127.0.0.1:1', pid: 1 };
      instances.push(instance);
      return Promise.resolve(instance);
    },
    stopInstance: (name, signal) => {
      calls.push(`stop ${name} ${signal}`);
      return Promise.resolve();
    },
    stopKafka: () => {
      calls.push('kafka stop');
      return Promise.resolve();
    },
    startKafka: () => {
      calls.push('kafka start');
      return Promise.resolve();
    },
  };
}

describe('the lab API', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.close();
  });

  it('starts and stops instances, and stops and starts Kafka, on request', async () => {
    const calls: string[] = [];
    lab = await startLab(fakeActions(calls));
    const started = await fetch(`${lab.url}/lab/instances`, {
      method: 'POST',
      body: JSON.stringify({ service: 'payment-service' }),
    });
    expect(started.status).toBe(201);
    expect(await started.json()).toMatchObject({ name: 'payment-service#2' });
    const listed = (await (await fetch(`${lab.url}/lab`)).json()) as { instances: unknown[] };
    expect(listed.instances).toHaveLength(1);
    const stopped = await fetch(`${lab.url}/lab/instances/payment-service%232?signal=SIGKILL`, {
      method: 'DELETE',
    });
    expect(stopped.status).toBe(200);
    await fetch(`${lab.url}/lab/kafka/stop`, { method: 'POST' });
    await fetch(`${lab.url}/lab/kafka/start`, { method: 'POST' });
    expect(calls).toEqual([
      'start payment-service',
      'stop payment-service#2 SIGKILL',
      'kafka stop',
      'kafka start',
    ]);
  });

  it('refuses anything a browser sends, an unknown service and an unknown instance', async () => {
    const calls: string[] = [];
    lab = await startLab(fakeActions(calls));
    const fromPage = await fetch(`${lab.url}/lab/kafka/stop`, {
      method: 'POST',
      headers: { Origin: 'http://localhost:3000' },
    });
    expect(fromPage.status).toBe(403);
    const unknown = await fetch(`${lab.url}/lab/instances`, {
      method: 'POST',
      body: JSON.stringify({ service: 'rm -rf' }),
    });
    expect(unknown.status).toBe(400);
    const missing = await fetch(`${lab.url}/lab/instances/order-saga%239`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(calls).toEqual([]);
  });
});
