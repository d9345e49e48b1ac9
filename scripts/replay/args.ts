import { KafkadogError } from '../kafka/errors.js';
import { parseOrExplain, wholeNumber } from '../ops/args.js';
import { defaultGatewayUrl } from '../ops/gateway.js';

/** Where to move a group, in the terms of the gateway's POST /explorer/groups/:id/reset. */
export type ReplayTarget = 'earliest' | 'latest' | { timestamp: string } | { offset: string };

export interface ReplayArgs {
  readonly help: boolean;
  /** The groups named with --group; empty with --all. */
  readonly groups: readonly string[];
  readonly all: boolean;
  readonly to: ReplayTarget;
  readonly dryRun: boolean;
  /** How long each group gets to read everything again. */
  readonly timeoutSec: number;
  readonly gateway: string;
}

/** `earliest`, `latest`, an offset (every partition), or an ISO 8601 time. */
export function parseTarget(value: string): ReplayTarget {
  if (value === 'earliest' || value === 'latest') return value;
  if (/^\d{1,19}$/.test(value)) return { offset: value };
  // An ISO 8601 date-time; a date alone means its midnight UTC.
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return { timestamp: new Date(ms).toISOString() };
  }
  throw new KafkadogError(
    'BAD_ARGS',
    `--to ${value}: use earliest, latest, an offset (e.g. 0) or an ISO time (e.g. 2026-01-31T12:00:00Z).`,
  );
}

export function describeTarget(to: ReplayTarget): string {
  if (typeof to === 'string') return `the ${to} offsets`;
  if ('offset' in to) return `offset ${to.offset}`;
  return `the first offsets at or after ${to.timestamp}`;
}

export function parseReplayArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ReplayArgs {
  const { values } = parseOrExplain(
    {
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        group: { type: 'string', short: 'g', multiple: true },
        all: { type: 'boolean', default: false },
        to: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        timeout: { type: 'string', default: '120' },
        gateway: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    'replay',
  );
  const groups = values.group ?? [];
  const base = {
    help: values.help,
    groups,
    all: values.all,
    dryRun: values['dry-run'],
    timeoutSec: wholeNumber(values.timeout, '--timeout'),
    gateway: (values.gateway ?? defaultGatewayUrl(env)).replace(/\/+$/, ''),
  };
  if (values.help) return { ...base, to: 'earliest' };
  if (groups.length === 0 && !values.all) {
    throw new KafkadogError(
      'BAD_ARGS',
      'Name a group (--group order-saga) or replay them all (--all): see `npm run replay -- --help`.',
    );
  }
  if (groups.length > 0 && values.all) {
    throw new KafkadogError('BAD_ARGS', '--group and --all exclude each other: use one of them.');
  }
  if (values.to === undefined) {
    throw new KafkadogError(
      'BAD_ARGS',
      'Say where to replay from: --to earliest, latest, an offset or an ISO time.',
    );
  }
  return { ...base, to: parseTarget(values.to) };
}

export const HELP = `Replay consumer groups through the running gateway: pause the group, reset its offsets,
resume it, and wait until it has read everything again. Idempotency suppresses every
duplicate: nothing is published twice, no order gets a second outcome.

  npm run replay -- --group order-saga --to earliest
  npm run replay -- --all --to earliest
  npm run replay -- --group notification-service --to 2026-01-31T12:00:00Z

Options:
  -g, --group ID        the consumer group (repeatable), e.g. order-saga, payment-service
      --all             every group of the stack that has committed offsets
      --to WHERE        earliest | latest | <offset> (every partition) | <ISO time>
      --dry-run         show what the reset would move, and Kafka's command; change nothing
      --timeout S       seconds a group gets to read everything again (default 120)
      --gateway URL     the gateway (default KAFKADOG_GATEWAY_URL, else
                        http://localhost:$PORT_API_GATEWAY, else http://localhost:3001)
  -h, --help            this text

It uses the gateway's POST /explorer/groups/<id>/pause, /reset and /resume (what the
dashboard's /explorer/groups page does); each group's report ends with the equivalent
kafka-consumer-groups.sh command. Needs a running stack: \`npm start\` in another terminal.
`;
