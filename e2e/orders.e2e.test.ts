// A learner's first steps in the dashboard, against a whole stack: an order placed through the
// form, the decline preset and its compensation, flaky inventory with retries, a dead letter and
// a redrive. What the page shows is checked against what is on the topics.
import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { getOrder } from '../test/support/orders.js';
import { useStack } from '../test/support/system.js';
import { readTopic } from '../test/support/topics.js';
import { useBrowser } from './support/browser.js';
import { orderIdOf, shownTimeline, waitForCount, waitForShownStatus } from './support/dashboard.js';

const stack = useStack({
  dashboard: true,
  // Retries 0.3 s, 0.6 s, 1.2 s: the dead letter comes in seconds, well before the saga's timeout.
  env: {
    INVENTORY_RETRY_BASE_MS: '300',
    INVENTORY_RETRY_MAX_ATTEMPTS: '4',
    SAGA_TIMEOUT_MS: '40000',
  },
});
const browser = useBrowser();

describe('orders in the dashboard (real stack, headless Chromium)', () => {
  it('an order placed through the form reaches Completed, with its events where they are in Kafka', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(`${stack().dashboardUrl}/orders/new`);
    await page.getByLabel('Quantity of Mechanical Keyboard').fill('2');
    await page.getByLabel('Customer email').fill('ada@example.com');
    await page.getByLabel('Card number').fill('4242424242424242');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    const orderId = orderIdOf(page);
    await waitForShownStatus(page, 'COMPLETED');

    const timeline = await shownTimeline(page);
    const order = await getOrder(stack().url('api-gateway'), orderId);
    expect(order?.items).toEqual([
      expect.objectContaining({ productId: 'sku-keyboard', quantity: 2 }),
    ]);
    for (const [topic, type] of [
      [topics.orders.name, 'OrderPlaced'],
      [topics.payments.name, 'PaymentAuthorized'],
      [topics.inventory.name, 'InventoryReserved'],
      [topics.outcomes.name, 'OrderCompleted'],
    ] as const) {
      const shown = timeline.find((entry) => entry.type === type);
      expect(shown, `${type} on the page`).toBeDefined();
      // The very record, at the partition and offset the page says.
      const records = await readTopic(stack().brokers, topic);
      const record = records.find((r) => r.event?.type === type && r.event.orderId === orderId);
      expect({ topic: shown!.topic, partition: shown!.partition, offset: shown!.offset }).toEqual({
        topic,
        partition: record!.partition,
        offset: Number(record!.offset),
      });
      expect(shown!.text).toContain(`offset ${record!.offset}`);
    }
    expect(errors).toEqual([]);
  });

  it('the decline preset ends Cancelled, with InventoryReleased linked to InventoryReserved', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(`${stack().dashboardUrl}/orders/new`);
    await page.getByTestId('preset-decline').click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    await waitForShownStatus(page, 'CANCELLED');
    const released = page
      .getByTestId('timeline-entry')
      .and(page.locator('[data-type="InventoryReleased"]'));
    await waitForCount(released, 1, 'InventoryReleased on the page');

    const timeline = await shownTimeline(page);
    const reserved = timeline.find((entry) => entry.type === 'InventoryReserved');
    const release = timeline.find((entry) => entry.type === 'InventoryReleased');
    expect(reserved).toBeDefined();
    expect(release?.compensates).toBe(reserved?.eventId);
    await expect(released.getByTestId('compensates').innerText()).resolves.toContain(
      `undoes InventoryReserved (${topics.inventory.name} offset ${reserved?.offset})`,
    );
    expect(await page.getByTestId('order-reason').innerText()).toContain('payment');
    expect(errors).toEqual([]);
  });

  it('flaky inventory shows attempts with growing gaps and a dead letter; a redrive from /dlq completes the order', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(`${stack().dashboardUrl}/orders/new`);
    await page.getByTestId('preset-flaky').click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    const orderId = orderIdOf(page);
    const deadLetter = page
      .getByTestId('timeline-entry')
      .and(page.locator('[data-kind="dead-letter"]'));
    await waitForCount(deadLetter, 1, 'the dead letter on the order page');

    const timeline = await shownTimeline(page);
    const retries = timeline.filter((entry) => entry.kind === 'retry');
    expect(retries.map((entry) => entry.text.match(/attempt \d+ of \d+/)?.[0])).toEqual([
      'attempt 2 of 4',
      'attempt 3 of 4',
      'attempt 4 of 4',
    ]);
    // The gaps between the attempts, from the retry records' own timestamps, grow.
    const retryRecords = (await readTopic(stack().brokers, topics.retry.name)).filter(
      (record) => record.key === orderId,
    );
    const due = retryRecords.map((record) => Number(record.headers['retry-not-before']));
    const gaps = due.map((at, i) => at - retryRecords[i]!.timestamp);
    expect(gaps).toHaveLength(3);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    expect(await deadLetter.innerText()).toContain('retries_exhausted');

    // Make inventory reliable again, then redrive the letter from /dlq.
    await page.goto(`${stack().dashboardUrl}/orders/new`);
    await page.getByRole('button', { name: 'Make inventory reliable again' }).click();
    await page
      .getByRole('button', { name: 'Make inventory reliable again' })
      .waitFor({ state: 'detached' });
    await page.goto(`${stack().dashboardUrl}/dlq`);
    const letter = page.locator(`[data-testid="dead-letter"][data-key="${orderId}"]`);
    await letter.locator('summary').click();
    await letter.getByRole('button', { name: 'Redrive' }).click();
    await letter.getByRole('status').filter({ hasText: 'Sent back to orders.retry.v1' }).waitFor();

    await page.goto(`${stack().dashboardUrl}/orders/${orderId}`);
    await waitForShownStatus(page, 'COMPLETED');
    const after = await shownTimeline(page);
    const redriven = after.filter((entry) => entry.kind === 'retry').at(-1);
    expect(redriven?.text).toContain('redriven');
    const lastDead = after.findIndex((entry) => entry.kind === 'dead-letter');
    expect(after.findIndex((entry) => entry.type === 'InventoryReserved')).toBeGreaterThan(
      lastDead,
    );
    expect(errors).toEqual([]);
  });
});
