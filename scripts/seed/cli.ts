import { isKafkadogError, KafkadogError } from '../kafka/errors.js';
import { consoleLogger as log, formatDuration, printError } from '../lib/log.js';
import { callGateway, describeAnswer } from '../ops/gateway.js';
import { onInterrupt } from '../ops/interrupt.js';
import { HELP, parseSeedArgs } from './args.js';
import { seedOrders, stockNeeded, type SeedOrder } from './plan.js';
import { formatSummary, outcomeOf, summarize, type OrderState, type Outcome } from './summary.js';

const POLL_MS = 500;

/** `npm run seed`: see HELP. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const interrupt = onInterrupt();
  try {
    const args = parseSeedArgs(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const orders = seedOrders(args.orders);
    await warnAboutStock(args.gateway, orders);
    log.info(`Placing ${orders.length} orders through ${args.gateway}/orders…`);
    const started = Date.now();
    const ids = await placeAll(args.gateway, orders, args.concurrency, interrupt.signal);
    log.info(
      `Placed ${ids.length} orders in ${formatDuration(Date.now() - started)}; waiting for their outcomes…`,
    );

    const outcomes = await waitForOutcomes(
      args.gateway,
      ids,
      args.timeoutSec * 1000,
      interrupt.signal,
    );
    const summary = summarize(
      orders.map((order, i) => ({ scenario: order.scenario, outcome: outcomes[i] ?? 'pending' })),
    );
    log.info(formatSummary(summary));
    log.info(
      `Done in ${formatDuration(Date.now() - started)}. See them at ${args.gateway}/orders or on the dashboard's /orders.`,
    );
    if (summary.byOutcome.pending > 0) {
      printError(
        `${summary.byOutcome.pending} order(s) had no outcome after ${args.timeoutSec} s: check that order-saga, payment-service and inventory-service run (${args.gateway}/system/health, and \`npm start\`'s output), or wait longer with --timeout.`,
      );
      return 1;
    }
    if (summary.unexpected > 0) {
      log.warn(
        `${summary.unexpected} order(s) ended otherwise than their scenario means: usually stock that earlier runs used up (\`npm run reset\` starts from the initial stock), or a timeout of a slow service.`,
      );
    }
    return 0;
  } catch (error) {
    if (interrupt.signal.aborted) {
      log.warn('Interrupted: the orders already placed go on through the stack.');
      return 130;
    }
    printError(
      isKafkadogError(error) ? error.message : `The seed failed: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    interrupt.dispose();
  }
}

/** Warns when the stock left is less than the orders meant to succeed need. */
async function warnAboutStock(gateway: string, orders: readonly SeedOrder[]): Promise<void> {
  const { status, body } = await callGateway<{ id: string; stock: number }[]>(
    gateway,
    'GET',
    '/products',
  );
  if (status !== 200 || !Array.isArray(body)) {
    throw new KafkadogError(
      'GATEWAY_REFUSED',
      `GET ${gateway}/products answered ${describeAnswer(status, body)}: is the gateway healthy? (${gateway}/health)`,
    );
  }
  const short = [...stockNeeded(orders)]
    .map(([id, needed]) => ({ id, needed, stock: body.find((p) => p.id === id)?.stock ?? 0 }))
    .filter((p) => p.stock < p.needed);
  if (short.length > 0) {
    log.warn(
      `Not enough stock left for every order meant to succeed (${short.map((p) => `${p.id}: ${p.stock} of ${p.needed}`).join(', ')}): some will be cancelled for want of stock. \`npm run reset\` starts again from the initial stock.`,
    );
  }
}

async function placeAll(
  gateway: string,
  orders: readonly SeedOrder[],
  concurrency: number,
  signal: AbortSignal,
): Promise<string[]> {
  const ids: string[] = new Array<string>(orders.length);
  let next = 0;
  let placed = 0;
  let lastReport = Date.now();
  async function worker(): Promise<void> {
    while (next < orders.length) {
      signal.throwIfAborted();
      const order = orders[next++]!;
      const { status, body } = await callGateway<{ orderId?: string }>(
        gateway,
        'POST',
        '/orders',
        order.body,
      );
      if (status !== 201 || typeof body?.orderId !== 'string') {
        throw new KafkadogError(
          'GATEWAY_REFUSED',
          `POST ${gateway}/orders answered ${describeAnswer(status, body)}` +
            (status === 503
              ? ": Kafka is not reachable from the gateway; check `npm start`'s output."
              : ''),
        );
      }
      ids[order.n] = body.orderId;
      placed++;
      if (Date.now() - lastReport >= 1000 || placed === orders.length) {
        lastReport = Date.now();
        log.info(`  placed ${placed}/${orders.length}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, orders.length) }, worker));
  return ids;
}

/** Polls GET /orders/:id of every order without an outcome until none is left or time is up. */
async function waitForOutcomes(
  gateway: string,
  ids: readonly string[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = ids.map(() => 'pending');
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const pending = outcomes.flatMap((outcome, i) => (outcome === 'pending' ? [i] : []));
    for (let from = 0; from < pending.length; from += 16) {
      await Promise.all(
        pending.slice(from, from + 16).map(async (i) => {
          const { status, body } = await callGateway<OrderState>(
            gateway,
            'GET',
            `/orders/${ids[i]}`,
          );
          // 404: the gateway's view has not read the order yet.
          if (status === 200) outcomes[i] = outcomeOf(body);
        }),
      );
    }
    const left = outcomes.filter((outcome) => outcome === 'pending').length;
    if (left === 0 || Date.now() >= deadline) return outcomes;
    if (Date.now() - lastReport >= 2000) {
      lastReport = Date.now();
      log.info(`  ${ids.length - left}/${ids.length} orders have an outcome`);
    }
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
