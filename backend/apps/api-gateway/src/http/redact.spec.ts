import { createEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { maskCardNumber, redactEvent, redactText } from './redact.js';

const placed = createEvent(
  'OrderPlaced',
  {
    customerEmail: 'ada@example.com',
    items: [{ productId: 'sku-mouse', quantity: 1, unitPrice: 2_999 }],
    total: 2_999,
    cardNumber: '4000000000000002',
  },
  { orderId: '0b9b2c4e-7f0e-4d8e-9d41-3f9c0f7c8a11' },
);

describe('what the gateway shows of a card number', () => {
  it('keeps the last four digits only', () => {
    expect(maskCardNumber('4242424242424242')).toBe('************4242');
    expect(maskCardNumber('123')).toBe('123');
  });

  it('masks OrderPlaced and leaves the rest of the event as it is', () => {
    const shown = redactEvent(placed);
    expect(shown).toEqual({ ...placed, data: { ...placed.data, cardNumber: '************0002' } });
    expect(placed.data.cardNumber).toBe('4000000000000002');
  });

  it('masks a card number in raw JSON, also in JSON that does not validate', () => {
    const raw = `{"type":"OrderPlaced","data":{"cardNumber": "4242424242424242","total":"x"}`;
    expect(redactText(raw)).toBe(
      `{"type":"OrderPlaced","data":{"cardNumber": "************4242","total":"x"}`,
    );
    expect(redactText(JSON.stringify(placed))).not.toContain('4000000000000002');
  });
});
