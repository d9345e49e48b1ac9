// The Kafka explorer on a real broker: the topics with their partitions, each service's group
// with its lag, a message produced from the page seen in the live tail, and a reset of a running
// group to earliest (dry run, then apply with a pause) that replays with every duplicate
// suppressed.
import { publicTopics, topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { groupLags } from '../test/support/groups.js';
import { outcomesByOrder } from '../test/support/invariants.js';
import { counter, fetchMetrics } from '../test/support/metrics.js';
import { orderBody, placeOrders, waitForEnded } from '../test/support/orders.js';
import { useStack } from '../test/support/system.js';
import { readTopic } from '../test/support/topics.js';
import { waitFor } from '../scripts/lib/wait.js';
import { useBrowser } from './support/browser.js';
import { waitForCount } from './support/dashboard.js';

const stack = useStack({ dashboard: true });
const browser = useBrowser();

const SERVICE_GROUPS = [
  'order-saga',
  'payment-service',
  'inventory-service',
  'notification-service',
  'analytics-service',
];

describe('the Kafka explorer (real stack, headless Chromium)', () => {
  it('lists the 8 topics with their partitions and every service group with its lag', async () => {
    // An order through every group, so that each has committed offsets and a lag to show.
    const gateway = stack().url('api-gateway');
    await waitForEnded(
      gateway,
      await placeOrders(gateway, [orderBody([{ productId: 'sku-mouse', quantity: 1 }])]),
    );
    await waitFor(
      async () => {
        const lags = await groupLags(stack().brokers);
        return SERVICE_GROUPS.every((group) => lags.get(group)?.some((p) => p.lag !== null));
      },
      { what: 'every service group to commit' },
    );
    const { page, errors } = await browser.newPage();
    await page.goto(`${stack().dashboardUrl}/explorer`);
    const rows = page.getByTestId('topic-row');
    await waitForCount(rows, publicTopics.length, 'the topics');
    const shown = await rows.evaluateAll((items) =>
      items.map((item) => [item.getAttribute('data-topic'), item.getAttribute('data-partitions')]),
    );
    for (const topic of publicTopics) {
      expect(shown).toContainEqual([topic.name, String(topic.partitions)]);
    }

    await page.goto(`${stack().dashboardUrl}/explorer/groups`);
    await waitForCount(page.getByTestId('group-row'), SERVICE_GROUPS.length, 'the groups');
    const groups = await page
      .getByTestId('group-row')
      .evaluateAll((items) =>
        items.map((item) => [item.getAttribute('data-group'), item.getAttribute('data-lag')]),
      );
    const lags = await groupLags(stack().brokers);
    for (const group of SERVICE_GROUPS) {
      const row = groups.find(([id]) => id === group);
      expect(row, `${group} in the list`).toBeDefined();
      expect(row![1], `${group}'s lag`).toMatch(/^\d+$/);
      expect(lags.has(group)).toBe(true);
    }
    expect(errors).toEqual([]);
  });

  it('a message produced from the explorer appears in the live tail', async () => {
    const { page, errors } = await browser.newPage();
    const topic = topics.snapshots.name;
    await page.goto(`${stack().dashboardUrl}/explorer/topics/${topic}`);
    await page.locator('[data-testid="stream-state"][data-state="open"]').waitFor();
    const key = `explorer-${Date.now()}`;
    await page.locator('#produce-key').fill(key);
    await page.locator('#produce-value').fill('{"produced":"from the explorer"}');
    await page.locator('#produce-headers').fill('source: e2e');
    await page.getByRole('button', { name: 'Produce' }).click();
    await page.getByTestId('produced').waitFor();
    const tailed = page.locator(`[data-testid="tail-record"][data-key="${key}"]`);
    await tailed.waitFor();
    await tailed.locator('summary').click();
    expect(await tailed.innerText()).toContain('from the explorer');
    // It is really in the topic, at the offset the tail shows.
    const records = await readTopic(stack().brokers, topic);
    const record = records.find((r) => r.key === key);
    expect(record?.headers.source).toBe('e2e');
    expect(await tailed.getAttribute('data-offset')).toBe(record?.offset);
    expect(errors).toEqual([]);
  });

  it('a reset of a running group to earliest (dry run, then apply) replays with every duplicate suppressed', async () => {
    const gateway = stack().url('api-gateway');
    const ids = await placeOrders(
      gateway,
      Array.from({ length: 6 }, () => orderBody([{ productId: 'sku-mouse', quantity: 1 }])),
    );
    await waitForEnded(gateway, ids);
    const group = 'notification-service';
    const notification = stack().url('notification-service');
    // Every outcome handled and committed: the replay is exactly what is on the topic.
    await waitFor(
      async () => (await groupLags(stack().brokers)).get(group)?.every((p) => p.lag === 0),
      { what: `${group} to catch up` },
    );
    const outcomes = await readTopic(stack().brokers, topics.outcomes.name);
    const suppressedBefore = counter(
      await fetchMetrics(notification),
      'kafkadog_duplicates_suppressed_total',
      { group },
    );

    const { page, errors } = await browser.newPage();
    await page.goto(`${stack().dashboardUrl}/explorer/groups/${group}`);
    await page.getByLabel('earliest').check();
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    const preview = page.getByTestId('reset-row');
    await waitForCount(preview, topics.outcomes.partitions, 'the dry run');
    // Nothing moved yet.
    const afterDryRun = (await groupLags(stack().brokers)).get(group);
    expect(afterDryRun?.every((p) => p.lag === 0)).toBe(true);

    await page.getByRole('button', { name: 'Apply' }).click();
    // Kafka refuses to move a group that has members: the page says so and offers a pause.
    await page.getByTestId('group-active').waitFor();
    await page.getByRole('button', { name: 'Pause the consumers around the reset' }).click();
    await page.getByTestId('reset-applied').waitFor({ timeout: 60_000 });

    await waitFor(
      async () =>
        counter(await fetchMetrics(notification), 'kafkadog_duplicates_suppressed_total', {
          group,
        }) -
          suppressedBefore >=
        outcomes.length,
      { what: 'the replay to be suppressed', timeoutMs: 60_000 },
    );
    await waitFor(
      async () => (await groupLags(stack().brokers)).get(group)?.every((p) => p.lag === 0),
      { what: `${group} to read everything again` },
    );
    const suppressed =
      counter(await fetchMetrics(notification), 'kafkadog_duplicates_suppressed_total', { group }) -
      suppressedBefore;
    expect(suppressed).toBe(outcomes.length);
    const after = await readTopic(stack().brokers, topics.outcomes.name);
    expect(after).toHaveLength(outcomes.length);
    for (const [orderId, seen] of outcomesByOrder(after)) {
      expect(seen.ids.size, `outcomes of ${orderId}`).toBe(1);
    }
    // The expected 409 (the group had members) is the only thing the console reported.
    expect(errors.filter((error) => !error.includes('409'))).toEqual([]);
  });
});
