import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../lib/log.js';
import { Supervisor, type ProcessSpec } from '../lib/supervisor.js';
import { startLabActions } from './lab-actions.js';

const supervisor = new Supervisor();
afterEach(() => supervisor.stopAll(2000));

/** A stand-in for an instance: a process that idles under the instance's name and PORT. */
function idle(name: string, port: number): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
    env: { ...process.env, PORT: String(port) },
  };
}

describe("npm start's lab", () => {
  it('lists the extra instances --scale started, so that the scenarios see them', async () => {
    supervisor.start(idle('payment-service', 3003));
    const second = supervisor.start(idle('payment-service#2', 3013));
    supervisor.start(idle('order-saga#2', 3012));
    const lab = startLabActions({
      supervisor: () => supervisor,
      cluster: () => undefined,
      setCluster: () => undefined,
      spec: (_service, name, port) => idle(name, port),
      label: () => undefined,
      log: silentLogger,
    });

    expect(lab.instances()).toEqual([
      {
        name: 'payment-service#2',
        service: 'payment-service',
        url: 'http://127.0.0.1:3013',
        pid: second.pid,
      },
      expect.objectContaining({ name: 'order-saga#2', url: 'http://127.0.0.1:3012' }),
    ]);
    await lab.stopInstance('payment-service#2', 'SIGKILL');
    expect(lab.instances().map((instance) => instance.name)).toEqual(['order-saga#2']);
  });
});
