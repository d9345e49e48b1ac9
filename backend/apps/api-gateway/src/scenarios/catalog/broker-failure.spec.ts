import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { brokerFailureVerdict } from './broker-failure.js';

function outcome(given: Given, id: string, label: string): Given {
  return given.placed(id, label).event(topics.outcomes.name, 'OrderCompleted', id);
}

describe('broker failure verdict', () => {
  it('passes: Kafka down then up, every order before and after with one outcome', () => {
    const given = outcome(new Given().kafka(true), 'a', 'before').after(1_000).kafka(false);
    given.after(12_000).kafka(true);
    const judged = brokerFailureVerdict(outcome(given, 'b', 'after').facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.summary).toContain('Kafka away for about 12.0 s');
  });

  it('fails while Kafka never went down', () => {
    const given = outcome(new Given().kafka(true), 'a', 'before').kafka(true);
    expect(failing(brokerFailureVerdict(given.facts))).toEqual([
      'Kafka seen down',
      'Kafka seen back',
      'orders placed after it each have exactly one outcome',
    ]);
  });

  it('fails when an order placed before the outage was lost or got two outcomes', () => {
    const lost = new Given().placed('a', 'before').kafka(false).after(5_000).kafka(true);
    expect(failing(brokerFailureVerdict(outcome(lost, 'b', 'after').facts))).toEqual([
      'orders placed before the outage each have exactly one outcome',
    ]);
    const twice = outcome(new Given(), 'a', 'before').kafka(false).after(5_000).kafka(true);
    twice.event(topics.outcomes.name, 'OrderCancelled', 'a');
    expect(failing(brokerFailureVerdict(outcome(twice, 'b', 'after').facts))).toEqual([
      'orders placed before the outage each have exactly one outcome',
    ]);
  });
});
