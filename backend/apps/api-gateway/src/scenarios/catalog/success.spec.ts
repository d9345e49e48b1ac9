import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { successVerdict } from './success.js';

const ID = 'o-1';

function flowed(given = new Given()): Given {
  return given
    .placed(ID)
    .event(topics.orders.name, 'OrderPlaced', ID)
    .after(120)
    .event(topics.payments.name, 'PaymentAuthorized', ID)
    .event(topics.inventory.name, 'InventoryReserved', ID)
    .after(80)
    .event(topics.outcomes.name, 'OrderCompleted', ID);
}

describe('success verdict', () => {
  it('passes with the four events and one OrderCompleted, naming their offsets', () => {
    const judged = successVerdict(flowed().facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.passed).toBe(true);
    expect(judged.checks.map((c) => c.detail)).toContain(
      'OrderCompleted at orders.outcome.v1[0]@0',
    );
    expect(judged.summary).toContain('completed 0.2 s after it was placed');
  });

  it('fails without an outcome', () => {
    const given = new Given()
      .placed(ID)
      .event(topics.orders.name, 'OrderPlaced', ID)
      .event(topics.payments.name, 'PaymentAuthorized', ID)
      .event(topics.inventory.name, 'InventoryReserved', ID);
    const judged = successVerdict(given.facts);
    expect(judged.passed).toBe(false);
    expect(failing(judged)).toEqual(['exactly one OrderCompleted on orders.outcome.v1']);
  });

  it('fails when the saga wrote two outcomes', () => {
    const judged = successVerdict(flowed().event(topics.outcomes.name, 'OrderCompleted', ID).facts);
    expect(failing(judged)).toEqual(['exactly one OrderCompleted on orders.outcome.v1']);
  });

  it('fails when a step is missing or was compensated', () => {
    const given = new Given()
      .placed(ID)
      .event(topics.orders.name, 'OrderPlaced', ID)
      .event(topics.payments.name, 'PaymentAuthorized', ID)
      .event(topics.outcomes.name, 'OrderCompleted', ID)
      .event(topics.payments.name, 'PaymentVoided', ID);
    expect(failing(successVerdict(given.facts))).toEqual([
      'InventoryReserved on inventory.v1',
      'nothing compensated',
    ]);
  });

  it("judges only the run's own order", () => {
    const judged = successVerdict(flowed(new Given().placed('other')).facts);
    expect(judged.passed).toBe(false);
  });

  it('fails when no order was placed', () => {
    expect(successVerdict([]).passed).toBe(false);
  });
});
