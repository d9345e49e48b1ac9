import { parseOrExplain, wholeNumber } from '../ops/args.js';
import { defaultGatewayUrl } from '../ops/gateway.js';

export interface SeedArgs {
  readonly help: boolean;
  readonly orders: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** How long to wait for the last outcome. */
  readonly timeoutSec: number;
  readonly gateway: string;
}

export function parseSeedArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): SeedArgs {
  const { values } = parseOrExplain(
    {
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        orders: { type: 'string', short: 'n', default: '50' },
        concurrency: { type: 'string', short: 'c', default: '8' },
        timeout: { type: 'string', default: '60' },
        gateway: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    'seed',
  );
  return {
    help: values.help,
    orders: wholeNumber(values.orders, '--orders'),
    concurrency: wholeNumber(values.concurrency, '--concurrency'),
    timeoutSec: wholeNumber(values.timeout, '--timeout'),
    gateway: (values.gateway ?? defaultGatewayUrl(env)).replace(/\/+$/, ''),
  };
}

export const HELP = `Place demo orders through the running gateway (POST /orders) and report their outcomes.

  npm run seed                     50 orders
  npm run seed -- --orders 200     200 orders

Of every 20 orders, 16 should complete, 2 pay with the declined card 4000000000000002,
1 is over the payment limit (4 laptops), 1 asks for more graphics cards than there are.
Successful orders take stock: once it runs out, further ones are cancelled for want of
stock (\`npm run reset\` starts again from the initial stock).

Options:
  -n, --orders N        how many orders (default 50)
  -c, --concurrency N   requests in flight at once (default 8)
      --timeout S       seconds to wait for the last outcome (default 60)
      --gateway URL     the gateway (default KAFKADOG_GATEWAY_URL, else
                        http://localhost:$PORT_API_GATEWAY, else http://localhost:3001)
  -h, --help            this text

Needs a running stack: \`npm start\` in another terminal.
`;
