import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { REDRIVEN_FROM_HEADER } from '../../dlq/dead-letters.js';
import { failing, Given } from '../facts.fixture.js';
import { failureRecoveryVerdict } from './failure-recovery.js';

const ID = 'o-1';
const GROUP = 'inventory-service';

/** Rate 1, the order, 4 retries 1 s, 2 s, 4 s, 8 s apart (each due when it ran), a dead letter. */
function deadLettered(gapsMs = [1_000, 2_100, 3_900, 8_000]): Given {
  const given = new Given()
    .faults(1)
    .placed(ID)
    .event(topics.orders.name, 'OrderPlaced', ID)
    .after(50);
  gapsMs.forEach((gap, i) => given.retry(ID, i + 1, Math.min(gap, 1_000 * 2 ** i)).after(gap));
  return given.deadLetter(ID, GROUP, 'retries_exhausted');
}

function recovered(given: Given): Given {
  return given
    .after(100)
    .faults(0)
    .retry(ID, 1, 0, { [REDRIVEN_FROM_HEADER]: '0' })
    .after(100)
    .event(topics.inventory.name, 'InventoryReserved', ID)
    .event(topics.payments.name, 'PaymentAuthorized', ID)
    .event(topics.outcomes.name, 'OrderCompleted', ID);
}

describe('failure and recovery verdict', () => {
  it('passes: growing gaps, one dead letter, redriven, completed; the summary names the gaps', () => {
    const judged = failureRecoveryVerdict(recovered(deadLettered()).facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.summary).toBe(
      '4 retries on orders.retry.v1, gaps 1.0 s, 2.1 s, 3.9 s, 8.0 s; 1 dead letter; redriven; ' +
        'order completed 15.3 s after it was placed',
    );
  });

  it('fails when the gaps do not grow (no backoff)', () => {
    const judged = failureRecoveryVerdict(
      recovered(deadLettered([1_000, 1_000, 1_000, 1_000])).facts,
    );
    expect(failing(judged)).toEqual([
      'growing gaps (exponential backoff), each attempt no earlier than its retry-not-before',
    ]);
  });

  it('fails when an attempt ran before its retry-not-before', () => {
    const given = new Given().faults(1).placed(ID).event(topics.orders.name, 'OrderPlaced', ID);
    given.retry(ID, 1, 1_000).after(500).retry(ID, 2, 2_000).after(2_500);
    given.deadLetter(ID, GROUP, 'retries_exhausted');
    const judged = failureRecoveryVerdict(recovered(given).facts);
    expect(failing(judged)).toEqual([
      'growing gaps (exponential backoff), each attempt no earlier than its retry-not-before',
    ]);
    expect(judged.checks[2]?.detail).toContain('an attempt ran before it was due');
  });

  it('fails with a second dead letter, or without a redrive', () => {
    const twice = recovered(deadLettered()).deadLetter(ID, GROUP, 'retries_exhausted');
    expect(failing(failureRecoveryVerdict(twice.facts))).toEqual([
      'one dead letter (retries_exhausted) on orders.dlq.v1',
    ]);
    const notRedriven = deadLettered()
      .faults(0)
      .event(topics.inventory.name, 'InventoryReserved', ID)
      .event(topics.outcomes.name, 'OrderCompleted', ID);
    expect(failing(failureRecoveryVerdict(notRedriven.facts))).toEqual([
      'redriven to orders.retry.v1',
    ]);
  });

  it('fails when the saga timed the order out before the redrive, and says so', () => {
    const given = deadLettered()
      .after(14_000)
      .event(topics.outcomes.name, 'OrderCancelled', ID, { reasons: ['timeout'] })
      .faults(0)
      .retry(ID, 1, 0, { [REDRIVEN_FROM_HEADER]: '0' });
    const judged = failureRecoveryVerdict(given.facts);
    expect(failing(judged)).toEqual([
      'InventoryReserved on inventory.v1',
      'exactly one OrderCompleted on orders.outcome.v1',
    ]);
    expect(judged.summary).toContain('order cancelled by timeout 29.1 s after it was placed');
  });

  it('fails when the failure rate was never switched back', () => {
    const given = recovered(deadLettered());
    const judged = failureRecoveryVerdict(
      given.facts.filter((f) => !(f.kind === 'record' && f.data.inventoryFailureRate === 0)),
    );
    expect(failing(judged)).toEqual(['inventoryFailureRate 1, then 0, on api-gateway.faults.v1']);
  });
});
