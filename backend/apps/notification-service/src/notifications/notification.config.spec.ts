import { createEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { emailLine, isNotificationInput, NotificationStateSchema } from './notification.config.js';

describe('the email log line', () => {
  it('is one line with the recipient, the quoted subject and the order', () => {
    const line = emailLine(
      { to: 'ada@example.com', subject: 'Your order 0b7c6f8e is confirmed', body: 'a\nb' },
      '0b7c6f8e-7a51-4a43-9d6b-0f1f5f7d2a10',
    );
    expect(line).toBe(
      'email sent to=ada@example.com subject="Your order 0b7c6f8e is confirmed" order=0b7c6f8e-7a51-4a43-9d6b-0f1f5f7d2a10',
    );
  });
});

describe('notification inputs and state', () => {
  it('takes the two outcomes only', () => {
    const completed = createEvent('OrderCompleted', {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: 1 }],
      total: 1,
    });
    const placed = createEvent('OrderPlaced', {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: 1 }],
      total: 1,
      cardNumber: '4242424242424242',
    });
    expect(isNotificationInput(completed)).toBe(true);
    expect(isNotificationInput(placed)).toBe(false);
  });

  it('stores whether the order was notified', () => {
    expect(NotificationStateSchema.parse({ notified: true })).toEqual({ notified: true });
    expect(NotificationStateSchema.safeParse({}).success).toBe(false);
  });
});
