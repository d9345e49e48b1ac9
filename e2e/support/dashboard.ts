/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../../scripts/lib/wait.js';

/** A timeline entry of the order page, as its data attributes describe it. */
export interface ShownEntry {
  readonly type: string;
  readonly kind: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly eventId: string;
  readonly compensates: string | null;
  readonly text: string;
}

export async function shownTimeline(page: Page): Promise<ShownEntry[]> {
  return page.getByTestId('timeline-entry').evaluateAll((items) =>
    items.map((item) => {
      const data = (item as HTMLElement).dataset;
      return {
        type: data.type ?? '',
        kind: data.kind ?? '',
        topic: data.topic ?? '',
        partition: Number(data.partition),
        offset: Number(data.offset),
        eventId: data.eventId ?? '',
        compensates: data.compensates ?? null,
        text: (item as HTMLElement).innerText,
      };
    }),
  );
}

/** Waits until the order page shows `status` (the page updates live, nobody reloads it). */
export async function waitForShownStatus(page: Page, status: string, timeoutMs = 60_000) {
  await page
    .getByTestId('order-status')
    .filter({ hasText: status })
    .waitFor({ timeout: timeoutMs });
}

/** Waits until `locator` matches at least `count` elements. */
export async function waitForCount(
  locator: Locator,
  count: number,
  what: string,
  timeoutMs = 60_000,
) {
  await waitFor(async () => (await locator.count()) >= count, { timeoutMs, intervalMs: 250, what });
}

/** The order id of the order page the browser is on. */
export function orderIdOf(page: Page): string {
  const match = /\/orders\/([0-9a-f-]{36})/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on an order page: ${page.url()}`);
  return match[1];
}
