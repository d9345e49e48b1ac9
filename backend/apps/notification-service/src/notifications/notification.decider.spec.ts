import { createEvent, type CancellationReason } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  decide,
  evolve,
  formatCents,
  initialNotificationState,
  type NotificationInput,
  type NotificationState,
} from './notification.decider.js';

const orderId = '0b7c6f8e-7a51-4a43-9d6b-0f1f5f7d2a10';

function orderCompleted() {
  return createEvent(
    'OrderCompleted',
    {
      customerEmail: 'ada@example.com',
      items: [
        { productId: 'sku-keyboard', quantity: 2, unitPrice: 8_999 },
        { productId: 'sku-retired', quantity: 1, unitPrice: 100 },
      ],
      total: 18_098,
    },
    { orderId },
  );
}

function orderCancelled(reasons: CancellationReason[], details: string[] = []) {
  return createEvent(
    'OrderCancelled',
    { customerEmail: 'ada@example.com', reasons, details },
    { orderId },
  );
}

function given(...outcomes: NotificationInput[]): NotificationState {
  return outcomes.reduce(evolve, initialNotificationState);
}

describe('emailing an order outcome', () => {
  it('given nothing sent, when the order completes, then one confirmation with the lines and total', () => {
    const emails = decide(initialNotificationState, orderCompleted());

    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.to).toBe('ada@example.com');
    expect(email?.subject).toBe('Your order 0b7c6f8e is confirmed');
    expect(email?.body).toContain('2 × Mechanical Keyboard at $89.99');
    expect(email?.body).toContain('1 × sku-retired at $1.00');
    expect(email?.body).toContain('Total: $180.98');
  });

  it.each([
    [['payment'], ['card_declined'], '(payment declined)'],
    [['inventory'], ['insufficient_stock: sku-gpu'], '(out of stock)'],
    [['timeout'], ['no_reply: inventory'], '(timed out)'],
    [
      ['payment', 'inventory'],
      ['limit_exceeded', 'insufficient_stock: sku-gpu'],
      '(payment declined, out of stock)',
    ],
  ] as [CancellationReason[], string[], string][])(
    'given nothing sent, when cancelled for %j, then one email saying why',
    (reasons, details, why) => {
      const [email, ...more] = decide(initialNotificationState, orderCancelled(reasons, details));

      expect(more).toEqual([]);
      expect(email?.subject).toBe(`Your order 0b7c6f8e was cancelled ${why}`);
      expect(email?.body).toContain(`Details: ${details.join('; ')}`);
      expect(email?.body).toContain('You have not been charged');
    },
  );

  it('omits the details line when there are none', () => {
    const [email] = decide(initialNotificationState, orderCancelled(['timeout']));
    expect(email?.body).not.toContain('Details');
  });
});

describe('at most one email per order', () => {
  it('given a confirmation sent, when the same outcome is redelivered, then nothing', () => {
    const completed = orderCompleted();
    expect(decide(given(completed), completed)).toEqual([]);
  });

  it('given a cancellation sent, when a different outcome arrives for the order, then nothing', () => {
    expect(decide(given(orderCancelled(['payment'])), orderCompleted())).toEqual([]);
  });

  it('marks the order notified once, and keeps the same state after', () => {
    const once = evolve(initialNotificationState, orderCompleted());
    expect(once).toEqual({ notified: true });
    expect(evolve(once, orderCancelled(['timeout']))).toBe(once);
  });
});

describe('money formatting', () => {
  it('renders integer cents as dollars with separators', () => {
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(519_600)).toBe('$5,196.00');
  });
});
