// Every scenario run from its own page with one click, on a stack that serves the lab (so that
// scaling and broker failure need no terminal), until the page shows a passed verdict. Then every
// page of the dashboard, at a desktop and a phone width: no console error, no serious or critical
// accessibility violation, nothing wider than the screen. KAFKADOG_SCREENSHOTS=<dir> keeps a
// screenshot of each.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getJson } from '../test/support/orders.js';
import { useStack } from '../test/support/system.js';
import { accessibilityViolations, useBrowser, WIDTHS } from './support/browser.js';

const stack = useStack({
  dashboard: true,
  lab: true,
  env: {
    INVENTORY_RETRY_BASE_MS: '300',
    INVENTORY_RETRY_MAX_ATTEMPTS: '4',
    SAGA_TIMEOUT_MS: '15000',
    SCENARIO_WAIT_MS: '30000',
    SCENARIO_SETTLE_MS: '500',
  },
});
const browser = useBrowser();
const SCREENSHOTS = process.env.KAFKADOG_SCREENSHOTS;

interface Scenario {
  readonly id: string;
  readonly title: string;
}

describe('scenarios and every page (real stack with the lab, headless Chromium)', () => {
  it('every scenario passes when run from its page', async () => {
    const { scenarios } = await getJson<{ scenarios: Scenario[] }>(
      `${stack().url('api-gateway')}/scenarios`,
    );
    expect(scenarios.map((s) => s.id).sort()).toEqual([
      'broker-failure',
      'compensation',
      'failure-recovery',
      'poison-pill',
      'replay',
      'scaling',
      'success',
    ]);
    const { page, errors } = await browser.newPage();
    for (const scenario of scenarios) {
      await page.goto(`${stack().dashboardUrl}/scenarios/${scenario.id}`);
      await page.getByRole('button', { name: 'Run the scenario' }).click();
      // The verdict counts once the run has ended (its checks may still change before).
      const ended = page.locator('[data-testid="run"]:not([data-status="running"])');
      await ended.waitFor({ timeout: 150_000 });
      const checks = await page
        .getByTestId('verdict-check')
        .evaluateAll((items) =>
          items.map((item) => `${item.getAttribute('data-passed')} ${item.textContent}`),
        );
      const why = `${scenario.id}:\n${checks.join('\n')}`;
      expect(await ended.getAttribute('data-status'), why).toBe('passed');
      expect(await page.getByTestId('verdict').getAttribute('data-passed'), why).toBe('true');
      expect(checks.length).toBeGreaterThan(0);
      if (SCREENSHOTS) {
        await mkdir(SCREENSHOTS, { recursive: true });
        await page.screenshot({
          path: join(SCREENSHOTS, `run-${scenario.id}.png`),
          fullPage: true,
        });
      }
    }
    // A 503 from the gateway while Kafka was away (broker failure) is what that scenario shows.
    expect(errors.filter((error) => !/503|Failed to load resource/.test(error))).toEqual([]);
  }, 900_000);

  it('every page works at 1280 px and 390 px: no console error, no serious a11y violation, no overflow', async () => {
    const gateway = stack().url('api-gateway');
    const { orders } = await getJson<{ orders: { orderId: string }[] }>(`${gateway}/orders`);
    const routes = [
      '/',
      '/orders/new',
      '/orders',
      `/orders/${orders[0]?.orderId}`,
      '/analytics',
      '/dlq',
      '/explorer',
      '/explorer/topics/orders.v1',
      '/explorer/groups',
      '/explorer/groups/payment-service',
      '/scenarios',
      '/scenarios/failure-recovery',
    ];
    for (const width of [WIDTHS.desktop, WIDTHS.phone]) {
      for (const route of routes) {
        const { page, errors } = await browser.newPage(width);
        await page.goto(`${stack().dashboardUrl}${route}`, { waitUntil: 'networkidle' });
        await page.locator('main h1').first().waitFor();
        const where = `${route} at ${width} px`;
        expect(await accessibilityViolations(page), where).toEqual([]);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth, `${where} is wider than the screen`).toBeLessThanOrEqual(width);
        if (SCREENSHOTS) {
          const name = route === '/' ? 'overview' : route.slice(1).replaceAll('/', '_');
          await page.screenshot({
            path: join(SCREENSHOTS, `${name}-${width}.png`),
            fullPage: true,
          });
        }
        expect(errors, where).toEqual([]);
        await page.context().close();
      }
    }
  }, 600_000);
});
