import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { compensationVerdict } from './compensation.js';

const { payments, inventory, outcomes } = topics;
const items = [{ productId: 'sku-keyboard', quantity: 1 }];
const payment = { paymentId: 'p-1', amount: 319_600 };

function declined(given: Given, released = true): Given {
  given
    .placed('d', 'declined')
    .event(inventory.name, 'InventoryReserved', 'd', { items })
    .event(payments.name, 'PaymentDeclined', 'd')
    .event(outcomes.name, 'OrderCancelled', 'd', { reasons: ['payment'] });
  return released ? given.event(inventory.name, 'InventoryReleased', 'd', { items }) : given;
}

function outOfStock(given: Given, voided = true): Given {
  given
    .placed('s', 'out-of-stock')
    .event(payments.name, 'PaymentAuthorized', 's', payment)
    .event(inventory.name, 'InventoryRejected', 's')
    .event(outcomes.name, 'OrderCancelled', 's', { reasons: ['inventory'] });
  return voided ? given.event(payments.name, 'PaymentVoided', 's', payment) : given;
}

describe('compensation verdict', () => {
  it('passes when each cancelled order has its succeeded step undone, once', () => {
    const judged = compensationVerdict(outOfStock(declined(new Given())).facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.summary).toBe(
      'declined card: OrderCancelled (payment), InventoryReleased; out of stock: OrderCancelled (inventory), PaymentVoided',
    );
  });

  it('fails when the reservation is never released', () => {
    const judged = compensationVerdict(outOfStock(declined(new Given(), false)).facts);
    expect(failing(judged)).toEqual([
      'declined card: InventoryReleased compensates InventoryReserved on inventory.v1',
    ]);
  });

  it('fails when the authorization is never voided, or voided for another amount', () => {
    expect(failing(compensationVerdict(outOfStock(declined(new Given()), false).facts))).toEqual([
      'out of stock: PaymentVoided compensates PaymentAuthorized on payments.v1',
    ]);
    const given = declined(new Given())
      .placed('s', 'out-of-stock')
      .event(payments.name, 'PaymentAuthorized', 's', payment)
      .event(inventory.name, 'InventoryRejected', 's')
      .event(outcomes.name, 'OrderCancelled', 's', { reasons: ['inventory'] })
      .event(payments.name, 'PaymentVoided', 's', { ...payment, amount: 1 });
    expect(failing(compensationVerdict(given.facts))).toEqual([
      'out of stock: PaymentVoided compensates PaymentAuthorized on payments.v1',
    ]);
  });

  it('fails on a second outcome or a wrong reason', () => {
    const twice = outOfStock(declined(new Given())).event(outcomes.name, 'OrderCancelled', 'd', {
      reasons: ['timeout'],
    });
    expect(failing(compensationVerdict(twice.facts))).toEqual([
      'declined card: exactly one OrderCancelled (reason payment) on orders.outcome.v1',
    ]);
    const given = outOfStock(new Given())
      .placed('d', 'declined')
      .event(payments.name, 'PaymentDeclined', 'd')
      .event(outcomes.name, 'OrderCancelled', 'd', { reasons: ['timeout'] });
    expect(failing(compensationVerdict(given.facts))).toEqual([
      'declined card: exactly one OrderCancelled (reason payment) on orders.outcome.v1',
    ]);
  });

  it('accepts a service that saw the cancellation first and took no step: nothing to undo', () => {
    const given = outOfStock(new Given())
      .placed('d', 'declined')
      .event(payments.name, 'PaymentDeclined', 'd')
      .event(outcomes.name, 'OrderCancelled', 'd', { reasons: ['payment'] });
    const judged = compensationVerdict(given.facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.checks.find((c) => c.name.startsWith('declined card: Inventory'))?.detail).toBe(
      'no InventoryReserved: nothing to undo',
    );
  });

  it('fails while the orders are still missing', () => {
    expect(compensationVerdict(declined(new Given()).facts).passed).toBe(false);
  });
});
