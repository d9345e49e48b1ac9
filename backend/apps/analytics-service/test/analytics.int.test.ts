import { randomUUID } from 'node:crypto';
import { createEvent, parseEvent, priceOrder, topics, type EventOf } from '@kafkadog/contracts';
import { counterValue, createAdmin, readToEnd, silentLogger } from '@kafkadog/kafka';
import { describe, expect, it } from 'vitest';
import {
  startInProcess,
  useOwnBroker,
  type InProcessService,
} from '../../../../test/support/in-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { analyticsConfig } from '../src/analytics/analytics.config.js';
import { AnalyticsService } from '../src/analytics/analytics.service.js';
import { windowStartOf } from '../src/analytics/window.js';

/**
 * analytics-service against a real broker of this file's own (the registry's fixed topics,
 * created by startStack), so that the windows hold exactly this test's events. The service runs in
 * this process, built as Nest would.
 */

const WINDOW_MS = 60_000;
const own = useOwnBroker('analytics-test');

function startAnalytics(): Promise<InProcessService<AnalyticsService>> {
  const config = analyticsConfig({
    ANALYTICS_WINDOW_MS: String(WINDOW_MS),
    ANALYTICS_EMIT_INTERVAL_MS: '300',
  });
  return startInProcess('analytics-service', own.brokers, (clients, health) => {
    return new AnalyticsService(clients, health, config);
  });
}

type Snapshot = EventOf<'TopProductsUpdated'>['data'] & { at: number };

async function snapshotsOf(windowStart: number): Promise<Snapshot[]> {
  const found: Snapshot[] = [];
  const start = new Date(windowStart).toISOString();
  await readToEnd({
    brokers: own.brokers,
    topics: [topics.snapshots.name],
    logger: silentLogger,
    onRecord: (record) => {
      const parsed = parseEvent(record.value, topics.snapshots);
      if (
        parsed.ok &&
        parsed.event.type === 'TopProductsUpdated' &&
        parsed.event.data.windowStart === start
      ) {
        found.push({ ...parsed.event.data, at: record.timestamp });
      }
    },
  });
  return found;
}

/** The first snapshot of the window published after `after` (epoch ms). */
function snapshotAfter(windowStart: number, after: number): Promise<Snapshot> {
  return waitFor(async () => (await snapshotsOf(windowStart)).find((s) => s.at > after), {
    what: 'a snapshot of the window',
  });
}

const counts = (s: Snapshot) => ({
  byQuantity: s.byQuantity.map((r) => [r.productId, r.quantity, r.revenue]),
  pageviews: s.pageviews,
});

describe('analytics-service on a real broker', () => {
  it('counts orders and page views per window, rebuilds the windows after a restart, and counts a replay once', async () => {
    const at = new Date();
    const windowStart = windowStartOf(at.getTime(), WINDOW_MS);
    const orders = [
      [{ productId: 'sku-mouse', quantity: 2 }],
      [
        { productId: 'sku-gpu', quantity: 1 },
        { productId: 'sku-mouse', quantity: 1 },
      ],
    ].map((items) => {
      const priced = priceOrder(items);
      if (!priced.ok) throw new Error('unknown product');
      const data = {
        customerEmail: 'ada@example.com',
        items: priced.lines,
        total: priced.total,
        cardNumber: '4242424242424242',
      };
      return {
        ...createEvent('OrderPlaced', data, { orderId: randomUUID() }),
        occurredAt: at.toISOString(),
      };
    });
    const views = ['/products', '/'].map((page) => ({
      ...createEvent('PageViewed', { page, sessionId: 's-1' }),
      occurredAt: at.toISOString(),
    }));
    const expected = {
      byQuantity: [
        ['sku-mouse', 3, 3 * 2_999],
        ['sku-gpu', 1, 79_900],
      ],
      pageviews: { total: 2, byPage: { '/': 1, '/products': 1 } },
    };

    let running = await startAnalytics();
    for (const event of [...orders, ...views]) await own.producer.publish(event);
    const live = await waitFor(
      async () => {
        const latest = (await snapshotsOf(windowStart)).at(-1);
        return latest && latest.pageviews.total === 2 && latest.byQuantity.length === 2 && latest;
      },
      { what: 'a snapshot counting everything' },
    );
    expect(counts(live)).toEqual(expected);

    // A restart: the group resumes after what it committed, so the counts come from the rebuild.
    await running.stop();
    let restartedAt = Date.now();
    running = await startAnalytics();
    expect(counts(await snapshotAfter(windowStart, restartedAt))).toEqual(expected);

    // A replay: the group reads everything again, on top of the rebuild; each event counts once.
    await running.stop();
    const admin = createAdmin({ brokers: own.brokers, logger: silentLogger });
    try {
      await admin.resetGroupOffsets(
        'analytics-service',
        [topics.orders.name, topics.pageviews.name],
        'earliest',
      );
    } finally {
      await admin.close();
    }
    running = await startAnalytics();
    try {
      const suppressed = () =>
        counterValue(running.clients.metrics.duplicatesSuppressed, { group: 'analytics-service' });
      await waitFor(async () => (await suppressed()) >= 4, {
        what: 'the replayed events suppressed',
      });
      restartedAt = Date.now();
      expect(counts(await snapshotAfter(windowStart, restartedAt))).toEqual(expected);
    } finally {
      await running.stop();
    }
  });
});
