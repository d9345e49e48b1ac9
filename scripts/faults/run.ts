/**
 * One fault run: orders over HTTP at a fixed rate while a fault does its worst, then a drain,
 * then what the topics and the stock say. The load, the placer and the observer are the bench's.
 */
import { parseEvent, topics, type EventOf } from '@kafkadog/contracts';
import { createAdmin, readToEnd, silentLogger } from '@kafkadog/kafka';
import { runFixedRate, type LoadProgress } from '../bench/load.js';
import { sampleLag } from '../bench/lag.js';
import { observeOrders } from '../bench/observe.js';
import {
  PlacementFailed,
  httpPlacer,
  orderBody,
  type OrderBody,
  type Placer,
} from '../bench/orders.js';
import { formatDuration, type Logger } from '../lib/log.js';
import type { ProcessName, Stack } from '../lib/stack.js';
import { traceOrders, type OrderTrace } from './trace.js';
import {
  stockBalance,
  tallyOrders,
  type OutcomeRecord,
  type PlacedOrder,
  type StockBalanceRow,
  type StockRow,
  type OrderTally,
} from './tally.js';

/** The run's own consumer groups and clients: left out of the lag it waits on. */
export const FAULTS_PREFIX = 'kafkadog-faults';
const PROGRESS_EVERY_MS = 5_000;
/** A POST that gets no answer in this long counts as failed (its order may still be written). */
const PLACE_TIMEOUT_MS = 15_000;

export interface FaultEvent {
  /** Since the load began. */
  readonly atMs: number;
  readonly what: string;
}

/** What a fault gets while the load runs. */
export interface FaultContext {
  /** Resolves `ms` after the load began (at once when that is past, or the load is over). */
  at(ms: number): Promise<void>;
  /** Aborted once the load has placed its last order. */
  readonly loadDone: AbortSignal;
  /** Since the load began. */
  elapsedMs(): number;
  /** A line of the run's timeline (a kill, a restart, a leader moving). */
  note(what: string): void;
  /** Something that must not happen (a service that never came back): the run fails. */
  fail(what: string): void;
}

export interface FaultRunOptions {
  readonly stack: Stack;
  /** The heading of the report, e.g. `broker killed during load`. */
  readonly title: string;
  /** What ran, for the report: nodes, instances, processing mode. */
  readonly setup: string;
  readonly ratePerSec: number;
  readonly durationMs: number;
  /** The stack's INVENTORY_STOCK_SCALE: every product starts with its catalog stock times this. */
  readonly stockScale: number;
  /** How long after the load every order gets to reach its outcome, and the stock to settle. */
  readonly drainTimeoutMs: number;
  /** Offsets a fully read partition shows as lag: 1 in exactly-once mode (the commit marker). */
  readonly lagAtRest?: number;
  readonly fault: (context: FaultContext) => Promise<void>;
  readonly body?: (n: number) => OrderBody;
  readonly log: Logger;
}

export interface FaultReport {
  readonly title: string;
  readonly setup: string;
  readonly ratePerSec: number;
  readonly durationMs: number;
  /** From the first order to the last answer. */
  readonly loadMs: number;
  /** From the end of the load until everything had settled, or the drain gave up. */
  readonly drainMs: number;
  /** False when the drain timed out: what is missing then is lost. */
  readonly drained: boolean;
  /** What the drain still waited for when it gave up. */
  readonly drainBlocker: string | undefined;
  readonly timeline: readonly FaultEvent[];
  /** What must not have happened, as the fault saw it (a restart that failed). */
  readonly faultFailures: readonly string[];
  readonly orders: OrderTally;
  readonly stock: readonly StockBalanceRow[];
  /** Why the stock could not be read, when it could not. */
  readonly stockError: string | undefined;
  /** Why the order topics could not be read to their end, when they could not. */
  readonly readError: string | undefined;
  /** For a few lost or doubled orders: every record of theirs, and what was logged about them. */
  readonly traces: readonly OrderTrace[];
}

/** Order n's body: the bench's mix, with 1 in 20 paid with the declined card (compensation). */
export function faultOrderBody(n: number): OrderBody {
  const body = orderBody(n);
  return n % 20 === 13 ? { ...body, cardNumber: '4000000000000002' } : body;
}

/** Counts failed placements by their reason (`ECONNREFUSED`, `HTTP 503 kafka_unavailable`…). */
function countingPlacer(inner: Placer, failedBy: Record<string, number>): Placer {
  return {
    httpMs: inner.httpMs,
    async place(n) {
      try {
        return await inner.place(n);
      } catch (error) {
        const reason = error instanceof PlacementFailed ? error.reason : (error as Error).name;
        failedBy[reason] = (failedBy[reason] ?? 0) + 1;
        throw error;
      }
    },
    close: () => inner.close(),
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export async function runFaultLoad(options: FaultRunOptions): Promise<FaultReport> {
  const { stack, log } = options;
  const observer = await observeOrders(stack.brokers, `${FAULTS_PREFIX}.observer`);
  const admin = createAdmin({
    brokers: stack.brokers,
    clientId: FAULTS_PREFIX,
    logger: silentLogger,
  });
  const failedBy: Record<string, number> = {};
  const placer = countingPlacer(
    httpPlacer(stack.url('api-gateway'), {
      body: options.body ?? faultOrderBody,
      timeoutMs: PLACE_TIMEOUT_MS,
    }),
    failedBy,
  );
  const timeline: FaultEvent[] = [];
  const faultFailures: string[] = [];
  const progress: LoadProgress = { placed: 0, failed: 0, inFlight: 0 };
  const loadDone = new AbortController();
  const startedAt = Date.now();
  const elapsedMs = () => Date.now() - startedAt;
  const context: FaultContext = {
    at: (ms) => sleep(Math.max(0, ms - elapsedMs()), loadDone.signal),
    loadDone: loadDone.signal,
    elapsedMs,
    note(what) {
      timeline.push({ atMs: elapsedMs(), what });
      log.info(`  ${formatDuration(elapsedMs())}  ${what}`);
    },
    fail(what) {
      faultFailures.push(what);
      timeline.push({ atMs: elapsedMs(), what: `FAILED: ${what}` });
      log.warn(`  ${formatDuration(elapsedMs())}  ${what}`);
    },
  };
  const ticker = setInterval(() => {
    log.info(
      `  ${formatDuration(elapsedMs())}  ${progress.placed} placed, ${progress.failed} refused, ${progress.inFlight} in flight, ${observer.tracker.awaiting().length} awaiting an outcome`,
    );
  }, PROGRESS_EVERY_MS);
  try {
    log.info(
      `${options.title}: ${options.ratePerSec} orders/s for ${formatDuration(options.durationMs)} over HTTP (${options.setup})`,
    );
    const fault = options.fault(context).catch((error: unknown) => {
      context.fail(`the fault itself failed: ${(error as Error).message}`);
    });
    const loaded = await runFixedRate({
      placer,
      ratePerSec: options.ratePerSec,
      durationMs: options.durationMs,
      progress,
    }).finally(() => loadDone.abort());
    await fault;
    const loadMs = loaded.endedAt - loaded.startedAt;
    log.info(
      `  load over: ${loaded.orderIds.length} accepted, ${loaded.failed} refused in ${formatDuration(loadMs)}; draining (up to ${formatDuration(options.drainTimeoutMs)})…`,
    );

    const drainStarted = Date.now();
    const settled = await drain({
      options,
      admin,
      accepted: loaded.orderIds,
      awaiting: () => observer.tracker.awaiting().length,
      hasOutcome: (id) => observer.tracker.hasOutcome(id),
      log,
    });
    const drainMs = Date.now() - drainStarted;
    const orders = tallyOrders({
      accepted: loaded.orderIds,
      failedBy,
      placed: settled.placed,
      outcomes: settled.outcomes,
    });
    const suspects = [...orders.lost, ...orders.neverWritten, ...orders.duplicates];
    const traces = await traceOrders(stack, suspects).catch((error: unknown) => [
      { orderId: suspects[0] ?? '', lines: [`could not trace: ${(error as Error).message}`] },
    ]);
    const completed = settled.outcomes
      .filter((outcome) => outcome.type === 'OrderCompleted')
      .map((outcome) => outcome.orderId);
    return {
      title: options.title,
      setup: options.setup,
      ratePerSec: options.ratePerSec,
      durationMs: options.durationMs,
      loadMs,
      drainMs,
      drained: settled.drained,
      drainBlocker: settled.blocker,
      timeline,
      faultFailures,
      orders,
      stock: settled.stock
        ? stockBalance({
            stockScale: options.stockScale,
            placed: settled.placed,
            completedOrderIds: completed,
            stock: settled.stock.rows,
            shown: settled.stock.shown,
          })
        : [],
      stockError: settled.stockError,
      readError: settled.readError,
      traces,
    };
  } finally {
    clearInterval(ticker);
    loadDone.abort();
    await placer.close();
    await observer.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}

interface Settled {
  readonly drained: boolean;
  /** What was still missing when the drain gave up. */
  readonly blocker: string | undefined;
  readonly placed: PlacedOrder[];
  readonly outcomes: OutcomeRecord[];
  readonly stock: { rows: StockRow[]; shown: Map<string, number> } | undefined;
  readonly stockError: string | undefined;
  /** Why orders.v1 or orders.outcome.v1 could not be read to their end (a partition offline). */
  readonly readError: string | undefined;
}

const DRAIN_POLL_MS = 500;

/**
 * Waits until every order has an outcome, every group has read everything, and the stock has
 * nothing reserved and shows the same at the gateway; then reads the topics exactly. Cheap checks
 * (the observer, the lag) gate the exact reads; an exact read that still finds an order without
 * an outcome waits on, until the deadline. Whatever is missing then is lost.
 */
async function drain(input: {
  options: FaultRunOptions;
  admin: ReturnType<typeof createAdmin>;
  accepted: readonly string[];
  awaiting: () => number;
  hasOutcome: (orderId: string) => boolean;
  log: Logger;
}): Promise<Settled> {
  const { options, admin, log } = input;
  const deadline = Date.now() + options.drainTimeoutMs;
  let lastReport = Date.now();
  let blocker = 'nothing read yet';
  for (;;) {
    const waiting = input.accepted.filter((id) => !input.hasOutcome(id)).length + input.awaiting();
    const lag = await groupLag(admin, options.lagAtRest ?? 0);
    if (waiting > 0) blocker = `${waiting} orders without an outcome (as the observer reads)`;
    else if (lag !== 0) blocker = `consumer groups lag ${lag}`;
    else {
      const read = await readSettled(options.stack);
      const decided = new Set(read.outcomes.map((outcome) => outcome.orderId));
      const missing = read.placed.filter((order) => !decided.has(order.orderId)).length;
      const stock = read.stock;
      const unsettled = stock?.rows.filter(
        (row) => row.reserved !== 0 || stock.shown.get(row.productId) !== row.available,
      );
      if (read.readError) blocker = `the topics to be readable (${read.readError})`;
      else if (missing > 0) blocker = `${missing} orders on orders.v1 without an outcome`;
      else if (!stock) blocker = `the stock: ${read.stockError ?? 'unread'}`;
      else if (unsettled && unsettled.length > 0) {
        blocker = `the stock of ${unsettled.map((row) => row.productId).join(', ')} (reserved, or the gateway shows another number)`;
      } else return { ...read, drained: true, blocker: undefined };
    }
    if (Date.now() >= deadline) {
      log.warn(
        `  the drain gave up after ${formatDuration(options.drainTimeoutMs)}, waiting for ${blocker}`,
      );
      return { ...(await readSettled(options.stack)), drained: false, blocker };
    }
    if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
      log.info(`  draining: waiting for ${blocker}`);
      lastReport = Date.now();
    }
    await sleep(DRAIN_POLL_MS);
  }
}

/** 0, or the lag and the groups that have it, e.g. `25 (order-saga 25)`; `(unread)` on an error. */
async function groupLag(
  admin: ReturnType<typeof createAdmin>,
  atRest: number,
): Promise<0 | string> {
  try {
    const { total, byGroup } = await sampleLag(admin, FAULTS_PREFIX, atRest);
    if (total === 0) return 0;
    const groups = Object.entries(byGroup).filter(([, lag]) => lag > 0);
    return `${total} (${groups.map(([group, lag]) => `${group} ${lag}`).join(', ')})`;
  } catch {
    return '(unread)';
  }
}

/** orders.outcome.v1 first, then orders.v1: no outcome read can lack the order it ends. */
async function readSettled(stack: Stack): Promise<Omit<Settled, 'drained' | 'blocker'>> {
  const outcomes: OutcomeRecord[] = [];
  const placed: PlacedOrder[] = [];
  let readError: string | undefined;
  try {
    await readToEnd({
      brokers: stack.brokers,
      topics: [topics.outcomes.name],
      clientId: FAULTS_PREFIX,
      logger: silentLogger,
      onRecord: (record) => {
        const parsed = parseEvent(record.value, topics.outcomes);
        if (!parsed.ok || !parsed.event.orderId) return;
        const event = parsed.event as EventOf<'OrderCompleted'> | EventOf<'OrderCancelled'>;
        outcomes.push({
          orderId: parsed.event.orderId,
          eventId: event.id,
          type: event.type,
          reasons: event.type === 'OrderCancelled' ? event.data.reasons : [],
        });
      },
    });
    await readToEnd({
      brokers: stack.brokers,
      topics: [topics.orders.name],
      clientId: FAULTS_PREFIX,
      logger: silentLogger,
      onRecord: (record) => {
        const parsed = parseEvent(record.value, topics.orders);
        if (parsed.ok && parsed.event.type === 'OrderPlaced' && parsed.event.orderId) {
          placed.push({ orderId: parsed.event.orderId, items: parsed.event.data.items });
        }
      },
    });
  } catch (error) {
    readError = (error as Error).message;
  }
  try {
    return { placed, outcomes, stock: await readStock(stack), stockError: undefined, readError };
  } catch (error) {
    return { placed, outcomes, stock: undefined, stockError: (error as Error).message, readError };
  }
}

/** The active inventory's GET /stock (a standby answers 503) and the gateway's GET /products. */
async function readStock(stack: Stack): Promise<{ rows: StockRow[]; shown: Map<string, number> }> {
  const inventories = stack.processes.filter((name): name is ProcessName =>
    name.startsWith('inventory-service'),
  );
  const answers = await Promise.all(
    inventories.map(async (name) => {
      const response = await fetch(`${stack.url(name)}/stock`).catch(() => undefined);
      return response?.status === 200 ? ((await response.json()) as StockRow[]) : undefined;
    }),
  );
  const rows = answers.find((answer) => answer !== undefined);
  if (!rows) throw new Error('no inventory-service instance answers GET /stock with 200');
  const response = await fetch(`${stack.url('api-gateway')}/products`);
  if (!response.ok) throw new Error(`the gateway answers GET /products with ${response.status}`);
  const products = (await response.json()) as { id: string; stock: number }[];
  return { rows, shown: new Map(products.map((product) => [product.id, product.stock])) };
}
