import { parseArgs } from 'node:util';
import { topics } from '@kafkadog/contracts';
import { KafkadogError } from '../kafka/errors.js';
import { SERVICE_NAMES, isServiceName, type ServiceName } from '../lib/services.js';

/** `npm start` runs the built stack; `npm run dev` the same one from watched sources. */
export type StartMode = 'start' | 'dev';

export interface StartArgs {
  readonly help: boolean;
  /** How many instances of each service to run; a service not named runs once. */
  readonly scale: ReadonlyMap<ServiceName, number>;
}

/**
 * More instances than the partitions of orders.v1 (the most any group shares) would sit idle:
 * the group gives every partition to one member.
 */
export const MAX_INSTANCES = topics.orders.partitions;

/**
 * Why a service cannot run more than once under npm start. The gateway joins no consumer group
 * (there is no work to share), and the dashboard, the lab and the other services know one URL
 * for it.
 */
const NOT_SCALABLE: Partial<Record<ServiceName, string>> = {
  'api-gateway':
    'api-gateway joins no consumer group (it has no partitions to share), and the dashboard and its Idempotency-Keys belong to one gateway',
};

/** Services whose extra instances stand by instead of sharing partitions. */
export const SINGLE_ACTIVE: readonly ServiceName[] = ['inventory-service', 'analytics-service'];

export function helpText(mode: StartMode): string {
  const command = mode === 'dev' ? 'npm run dev' : 'npm start';
  const what =
    mode === 'dev'
      ? 'Starts Kafka (unless KAFKA_BROKERS is set), creates the topics, then runs the six services\n' +
        'and the dashboard in watch mode: tsc rebuilds a changed source, the services it affects\n' +
        'restart (node --watch), and the dashboard runs `next dev`.'
      : 'Starts Kafka (unless KAFKA_BROKERS is set), creates the topics, builds and starts the six\n' +
        'services and the dashboard, and prints their URLs. Ctrl+C stops everything it started.';
  const scalable = SERVICE_NAMES.filter((name) => NOT_SCALABLE[name] === undefined);
  return `Usage: ${command} [-- --scale <service>=<n> ...]

${what}

Options:
  --scale <service>=<n>  Run n instances of a service (1 to ${MAX_INSTANCES}), repeatable. Instance k
                         is <service>#k on the service's port + 10(k-1) (payment-service#2 on
                         3013); the instances join the service's consumer group and share its
                         partitions. Inventory and analytics keep one active instance, the
                         others stand by. Services:
                         ${scalable.join(', ')}.
  -h, --help             Show this help.

Environment:
  KAFKA_BROKERS=host:port,...   Use this cluster instead of starting one.
  PORT_<SERVICE>=<port>         Move a service (PORT_PAYMENT_SERVICE=3103); PORT_FRONTEND the dashboard.

Examples:
  ${command}
  ${command} -- --scale payment-service=3 --scale order-saga=2
`;
}

export function parseStartArgs(argv: readonly string[], mode: StartMode = 'start'): StartArgs {
  const command = mode === 'dev' ? 'npm run dev' : 'npm start';
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scale: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new KafkadogError(
      'BAD_ARGS',
      `${(error as Error).message.split('\n')[0]?.replace(/\.$/, '')}: see \`${command} -- --help\`.`,
      { cause: error },
    );
  }
  const scale = new Map<ServiceName, number>();
  for (const value of values.scale) {
    const [service, count] = parseScale(value, command);
    if (scale.has(service)) {
      throw new KafkadogError(
        'BAD_ARGS',
        `--scale ${service} is given twice: keep one (--scale ${service}=<n>).`,
      );
    }
    scale.set(service, count);
  }
  return { help: values.help, scale };
}

function parseScale(value: string, command: string): [ServiceName, number] {
  const match = /^([^=]+)=(.*)$/.exec(value);
  if (!match) {
    throw new KafkadogError(
      'BAD_ARGS',
      `--scale ${value}: expected <service>=<n>, e.g. ${command} -- --scale payment-service=3.`,
    );
  }
  const service = match[1] ?? '';
  const count = match[2] ?? '';
  if (!isServiceName(service)) {
    throw new KafkadogError(
      'BAD_ARGS',
      `--scale ${value}: there is no service "${service}"; use one of ${SERVICE_NAMES.join(', ')}.`,
    );
  }
  const notScalable = NOT_SCALABLE[service];
  if (notScalable !== undefined) {
    throw new KafkadogError(
      'BAD_ARGS',
      `--scale ${value}: ${notScalable}. Scale one of the services behind it instead, e.g. --scale payment-service=${Math.min(3, MAX_INSTANCES)}.`,
    );
  }
  const n = /^\d+$/.test(count) ? Number(count) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_INSTANCES) {
    throw new KafkadogError(
      'BAD_ARGS',
      `--scale ${value}: the number of instances must be a whole number from 1 to ${MAX_INSTANCES} (${topics.orders.name} has ${MAX_INSTANCES} partitions; more instances would get none).`,
    );
  }
  return [service, n];
}
