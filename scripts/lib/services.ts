import { access } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../kafka/config.js';

export { REPO_ROOT };

/** The six services of DESIGN.md, in the order `npm start` lists them. */
/** `label` is the short name `npm start` prefixes each log line with. */
export const SERVICES = [
  { name: 'api-gateway', label: 'gateway', port: 3001 },
  { name: 'order-saga', label: 'saga', port: 3002 },
  { name: 'payment-service', label: 'payment', port: 3003 },
  { name: 'inventory-service', label: 'inventory', port: 3004 },
  { name: 'notification-service', label: 'notification', port: 3005 },
  { name: 'analytics-service', label: 'analytics', port: 3006 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];
export const SERVICE_NAMES: readonly ServiceName[] = SERVICES.map((service) => service.name);

export const DASHBOARD_PORT = 3000;

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

export function serviceDir(name: ServiceName): string {
  return path.join(REPO_ROOT, 'backend', 'apps', name);
}

/** What `tsc -b tsconfig.build.json` produces for a service, and what runs it. */
export function serviceEntry(name: ServiceName): string {
  return path.join(serviceDir(name), 'dist', 'main.js');
}

/**
 * Node's flags for every service. V8 lets the young generation grow to 3 × 16 MB, memory a
 * service holding 40 MB does not need: 4 MB semi-spaces cost more (short) scavenges and keep
 * each service about 40 MB smaller, busy or idle. `--expose-gc` lets an idle service give back
 * what a busy period left (see releaseMemoryWhenIdle in libs/service).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--expose-gc'];

/** `PORT_PAYMENT_SERVICE` for payment-service: how `npm start` lets a user move a service. */
export function portVariable(name: string): string {
  return `PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The port a service gets from `npm start`: `PORT_<SERVICE>` when set, else its DESIGN.md port.
 * Throws naming the variable when it is not a port number.
 */
export function servicePort(name: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  const variable = portVariable(name);
  const raw = env[variable];
  const fixed = SERVICES.find((service) => service.name === name)?.port ?? 0;
  if (raw === undefined || raw === '') return fixed;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${variable}=${raw} is not a port number (1 to 65535)`);
  }
  return port;
}

/** Instance n of a service: `payment-service` for the first, `payment-service#2` after it. */
export function instanceName(name: ServiceName, n: number): string {
  return n === 1 ? name : `${name}#${n}`;
}

/** The service a process name (`payment-service#2`) is an instance of, if any. */
export function serviceOfInstance(instance: string): ServiceName | undefined {
  const name = instance.split('#')[0] ?? '';
  return isServiceName(name) ? name : undefined;
}

/** Instance n of a service listens on the service's port + 10(n−1): payment-service#2 on 3013. */
export function instancePort(basePort: number, n: number): number {
  return basePort + 10 * (n - 1);
}

export async function isBuilt(name: ServiceName): Promise<boolean> {
  try {
    await access(serviceEntry(name));
    return true;
  } catch {
    return false;
  }
}
