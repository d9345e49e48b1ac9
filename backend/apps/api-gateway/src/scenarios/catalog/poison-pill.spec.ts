import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { poisonHandled, poisonPillVerdict } from './poison-pill.js';

const GROUPS = ['inventory-service', 'payment-service'];
const ORDERS = topics.orders.name;

function poisoned(): { given: Given; poison: ReturnType<Given['record']> } {
  const given = new Given();
  for (const group of GROUPS) given.offsets(group, ORDERS, 1, '7');
  given.record(ORDERS, { partition: 1 }); // a good record before it
  const poison = given.record(ORDERS, { partition: 1, key: 'poison-1', invalid: 'invalid_json' });
  return { given, poison };
}

function handled(): Given {
  const { given, poison } = poisoned();
  for (const group of GROUPS) {
    given.deadLetter('poison-1', group, 'invalid_json', poison).offsets(group, ORDERS, 1, '9');
  }
  return given
    .health('order-saga')
    .health('payment-service')
    .placed('next', 'after')
    .event(topics.outcomes.name, 'OrderCompleted', 'next');
}

describe('poison pill verdict', () => {
  it('passes: one invalid_json dead letter per group, each past the poison, all healthy, next order done', () => {
    const judged = poisonPillVerdict(handled().facts);
    expect(failing(judged)).toEqual([]);
    expect(poisonHandled(handled().facts)).toBe(true);
    expect(judged.summary).toBe(
      'poison at orders.v1[1]@1: dead-lettered by 2 of 2 groups, each moved on',
    );
  });

  it('fails when a group did not dead-letter it, or stays on it', () => {
    const { given, poison } = poisoned();
    given.deadLetter('poison-1', 'inventory-service', 'invalid_json', poison);
    given.offsets('inventory-service', ORDERS, 1, '2').offsets('payment-service', ORDERS, 1, '1');
    given
      .health('order-saga')
      .placed('next', 'after')
      .event(topics.outcomes.name, 'OrderCompleted', 'next');
    expect(poisonHandled(given.facts)).toBe(false);
    expect(failing(poisonPillVerdict(given.facts))).toEqual([
      'payment-service: one dead letter (invalid_json) pointing at orders.v1[1]@1',
      'payment-service: committed offset moved past orders.v1[1]@1',
    ]);
  });

  it('fails on a dead letter with another reason, or pointing elsewhere', () => {
    const { given, poison } = poisoned();
    given.deadLetter('poison-1', 'inventory-service', 'invalid_schema', poison);
    given.deadLetter('poison-1', 'payment-service', 'invalid_json', { ...poison, offset: '0' });
    for (const group of GROUPS) given.offsets(group, ORDERS, 1, '9');
    given
      .health('order-saga')
      .placed('next', 'after')
      .event(topics.outcomes.name, 'OrderCompleted', 'next');
    expect(failing(poisonPillVerdict(given.facts))).toEqual([
      'inventory-service: one dead letter (invalid_json) pointing at orders.v1[1]@1',
      'payment-service: one dead letter (invalid_json) pointing at orders.v1[1]@1',
    ]);
  });

  it('fails when a service is down or the next order does not complete', () => {
    const given = handled().health('payment-service', false);
    expect(failing(poisonPillVerdict(given.facts))).toEqual(['every service still healthy']);
    const { given: stuck, poison } = poisoned();
    for (const group of GROUPS) {
      stuck.deadLetter('poison-1', group, 'invalid_json', poison).offsets(group, ORDERS, 1, '9');
    }
    stuck.health('order-saga').placed('next', 'after');
    expect(failing(poisonPillVerdict(stuck.facts))).toEqual(['the next order completes']);
  });

  it('fails without a record that is not JSON', () => {
    const given = new Given().offsets('payment-service', ORDERS, 0, '3');
    given.record(ORDERS, { invalid: 'invalid_event' });
    expect(poisonPillVerdict(given.facts).passed).toBe(false);
  });
});
