import { ensureCluster, HOST, type ClusterHandle } from '../kafka/index.js';
import { isPortFree } from '../kafka/processes.js';
import type { LabActions, LabInstance } from '../lib/lab.js';
import type { Logger } from '../lib/log.js';
import {
  SERVICES,
  instancePort,
  serviceOfInstance,
  servicePort,
  type ServiceName,
} from '../lib/services.js';
import { waitHealthy, type ProcessSpec, type Supervisor } from '../lib/supervisor.js';

const HEALTH_TIMEOUT_MS = 60_000;

export interface StartLabContext {
  readonly supervisor: () => Supervisor | undefined;
  readonly cluster: () => ClusterHandle | undefined;
  /** Kafka came back: the new handle (what Ctrl+C stops). */
  readonly setCluster: (cluster: ClusterHandle) => void;
  /** The process spec of an instance of `service` on `port` (as npm start runs the first). */
  readonly spec: (service: ServiceName, name: string, port: number) => ProcessSpec;
  /** Where the labelled log lines go. */
  readonly label: (name: string, label: string) => void;
  readonly log: Logger;
}

/**
 * What the lab does under `npm start`: instance n of a service listens on its port + 10(n−1)
 * (payment-service#2 on 3013) or the next free one, and Kafka stops and starts as
 * `npm run kafka:stop` / `kafka:start` would (only the broker npm start runs itself). The
 * instances it lists are every extra one that runs: those of `--scale` and its own.
 */
export function startLabActions(context: StartLabContext): LabActions {
  function running(): LabInstance[] {
    return (context.supervisor()?.processes() ?? []).flatMap((child) => {
      const service = serviceOfInstance(child.name);
      if (!child.name.includes('#') || service === undefined || child.exit !== undefined) {
        return [];
      }
      const url = `http://${HOST}:${child.spec.env?.PORT ?? ''}`;
      return [{ name: child.name, service, url, pid: child.pid }];
    });
  }

  function managedCluster(): ClusterHandle {
    const cluster = context.cluster();
    if (!cluster || cluster.external || !cluster.startedByUs) {
      throw new Error(
        'Kafka was not started by this npm start (KAFKA_BROKERS, or it already ran): stop and start it yourself',
      );
    }
    return cluster;
  }

  return {
    instances: running,

    async startInstance(service) {
      const supervisor = context.supervisor();
      if (!supervisor) throw new Error('the services are not started yet');
      let n = 2;
      while (
        supervisor.get(`${service}#${n}`)?.exit === undefined &&
        supervisor.get(`${service}#${n}`)
      )
        n++;
      let port = instancePort(servicePort(service), n);
      while (!(await isPortFree(port, HOST))) port += 10;
      const name = `${service}#${n}`;
      const label = `${SERVICES.find((candidate) => candidate.name === service)?.label ?? service}#${n}`;
      context.label(name, label);
      const child = supervisor.start(context.spec(service, name, port));
      const url = `http://${HOST}:${port}`;
      context.log.info(`  + ${name} started by the lab on ${url} (pid ${child.pid})`);
      await waitHealthy(child, `${url}/health`, { timeoutMs: HEALTH_TIMEOUT_MS });
      const instance: LabInstance = { name, service, url, pid: child.pid };
      return instance;
    },

    async stopInstance(name, signal) {
      const child = context.supervisor()?.get(name);
      if (!child) return;
      context.log.info(`  - ${name} stopped by the lab (${signal})`);
      if (signal === 'SIGKILL') {
        child.signal('SIGKILL');
        await child.exited;
      } else {
        await child.stop(10_000);
      }
    },

    async stopKafka() {
      const cluster = managedCluster();
      context.log.info('Kafka stopped by the lab (data kept); the services report it at /health');
      await cluster.stop();
    },

    async startKafka() {
      managedCluster();
      const cluster = await ensureCluster({ logger: context.log });
      context.setCluster(cluster);
      context.log.info(`Kafka started again by the lab at ${cluster.brokers.join(',')}`);
    },
  };
}
