import { randomUUID } from 'node:crypto';
import { createEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import type { SagaInput, SagaOutput, SagaState, SagaTimeout } from './saga.decider.js';
import {
  DecidedOutcomes,
  sagaDecider,
  SagaStateSchema,
  timeoutsToApply,
  UNSTORED_GRACE_MS,
} from './saga.processing.js';

const placedAt = Date.parse('2025-01-01T12:00:00.000Z');
const timeoutMs = 30_000;

function order() {
  const ids = { orderId: randomUUID() };
  const items = [{ productId: 'sku-gpu', quantity: 1, unitPrice: 79_900 }];
  const data = {
    customerEmail: 'ada@example.com',
    items,
    total: 79_900,
    cardNumber: '4242424242424242',
  };
  return {
    orderId: ids.orderId,
    placed: {
      ...createEvent('OrderPlaced', data, ids),
      occurredAt: new Date(placedAt).toISOString(),
    },
    authorized: createEvent('PaymentAuthorized', { paymentId: randomUUID(), amount: 79_900 }, ids),
    declined: createEvent('PaymentDeclined', { amount: 79_900, reason: 'card_declined' }, ids),
    reserved: createEvent(
      'InventoryReserved',
      { items: [{ productId: 'sku-gpu', quantity: 1 }] },
      ids,
    ),
    rejected: createEvent(
      'InventoryRejected',
      {
        reason: 'insufficient_stock',
        shortages: [{ productId: 'sku-gpu', requested: 1, available: 0 }],
      },
      ids,
    ),
    timeout: { type: 'SagaTimeout', orderId: ids.orderId, at: placedAt + timeoutMs } as SagaTimeout,
  };
}

const inputIdOf = (input: SagaInput) => ('id' in input ? input.id : `timeout:${input.orderId}`);

/**
 * order-saga in miniature: what `createOrderProcessor` does with the decider, with a state topic
 * and orders.outcome.v1 that survive a "crash", and memory that does not.
 */
class Saga {
  readonly published: SagaOutput[] = [];
  readonly stored = new Map<string, { state: SagaState; applied: string[] }>();
  #decided = new DecidedOutcomes();
  #decider = sagaDecider(this.#decided);

  handle(input: SagaInput, fault?: 'crash' | 'failEffects'): void {
    const orderId = input.orderId!;
    const current = this.stored.get(orderId) ?? { state: this.#decider.initialState, applied: [] };
    if (current.applied.includes(inputIdOf(input))) return;
    const outputs = this.#decider.decide(current.state, input as never);
    const state = [input, ...outputs].reduce(
      (s: SagaState, e) => this.#decider.evolve(s, e as never),
      current.state,
    );
    if (fault === 'failEffects') return;
    this.published.push(...outputs);
    if (fault === 'crash') return this.restart();
    this.stored.set(orderId, {
      state: SagaStateSchema.parse(state),
      applied: [...current.applied, inputIdOf(input)],
    });
  }

  restart(): void {
    this.#decided = new DecidedOutcomes();
    for (const outcome of this.published) this.#decided.add(outcome, 0);
    this.#decider = sagaDecider(this.#decided);
    this.#decided.prune((id) => this.stored.get(id)?.state);
  }

  tick(now: number): void {
    const states = [...this.stored].map(([id, { state }]): [string, SagaState] => [id, state]);
    for (const timeout of timeoutsToApply(states, this.#decided, now, timeoutMs))
      this.handle(timeout);
  }

  outcomesOf(orderId: string) {
    return this.published.filter((e) => e.orderId === orderId);
  }
}

describe('saga outcomes through the order processor', () => {
  it('completes and cancels as the decider says', () => {
    const saga = new Saga();
    const ok = order();
    const no = order();
    for (const input of [ok.placed, ok.authorized, ok.reserved, no.placed, no.declined])
      saga.handle(input);

    expect(saga.outcomesOf(ok.orderId).map((e) => e.type)).toEqual(['OrderCompleted']);
    expect(saga.outcomesOf(no.orderId)).toMatchObject([
      { type: 'OrderCancelled', data: { reasons: ['payment'] } },
    ]);
    expect(saga.stored.get(ok.orderId)?.state.outcome).toBe('completed');
  });

  it('given a crash after an outcome was published, when another reply is read before the redelivery, then no second outcome', () => {
    const saga = new Saga();
    const o = order();
    saga.handle(o.placed);
    saga.handle(o.declined, 'crash');

    saga.handle(o.rejected); // another topic: may come first after the restart
    saga.handle(o.declined); // the redelivery

    const outcomes = saga.outcomesOf(o.orderId);
    expect(new Set(outcomes.map((e) => e.id)).size).toBe(1);
    expect(outcomes[0]).toMatchObject({ type: 'OrderCancelled', data: { reasons: ['payment'] } });
    expect(saga.stored.get(o.orderId)?.state.outcome).toBe('cancelled');
  });

  it('given a crash after a timeout cancelled an order, when both replies come late, then it stays cancelled', () => {
    const saga = new Saga();
    const o = order();
    saga.handle(o.placed);
    saga.handle(o.authorized);
    saga.handle(o.timeout, 'crash');

    saga.handle(o.reserved);

    expect(saga.outcomesOf(o.orderId).map((e) => e.type)).toEqual([
      'OrderCancelled',
      'OrderCancelled', // the same event again (same id), now stored with the reply
    ]);
    expect(new Set(saga.outcomesOf(o.orderId).map((e) => e.id)).size).toBe(1);
    expect(saga.stored.get(o.orderId)?.state).toMatchObject({
      outcome: 'cancelled',
      inventory: { ok: true },
    });
  });

  it('given an outcome whose publish failed, when the tick comes after the grace period, then it is published and stored', () => {
    const saga = new Saga();
    const o = order();
    const now = Date.now();
    saga.handle({ ...o.placed, occurredAt: new Date(now).toISOString() }); // not due for a timeout
    saga.handle(o.authorized);
    saga.handle(o.reserved, 'failEffects');
    // The decision is stamped with the clock when it was taken, which may be past `now`.
    const decidedBy = Date.now();

    saga.tick(now);
    expect(saga.outcomesOf(o.orderId)).toEqual([]);
    saga.tick(decidedBy + UNSTORED_GRACE_MS + 1);

    expect(saga.outcomesOf(o.orderId).map((e) => e.type)).toEqual(['OrderCompleted']);
    expect(saga.stored.get(o.orderId)?.state.outcome).toBe('completed');
  });
});

describe('timeouts to apply', () => {
  it('lists orders past their deadline, and only once', () => {
    const saga = new Saga();
    const late = order();
    saga.handle(late.placed);
    saga.handle(late.authorized);

    saga.tick(placedAt + timeoutMs - 1);
    expect(saga.outcomesOf(late.orderId)).toEqual([]);
    saga.tick(placedAt + timeoutMs);
    saga.tick(placedAt + timeoutMs + 1_000);

    expect(saga.outcomesOf(late.orderId)).toMatchObject([
      { type: 'OrderCancelled', data: { reasons: ['timeout'], details: ['no_reply: inventory'] } },
    ]);
  });

  it('leaves an outcome decided moments ago to its own write', () => {
    const decided = new DecidedOutcomes();
    const o = order();
    const now = Date.now();
    decided.add(
      createEvent(
        'OrderCompleted',
        { customerEmail: 'a@example.com', items: o.placed.data.items, total: 1 },
        { orderId: o.orderId },
      ),
      now,
    );

    expect(timeoutsToApply([], decided, now + 1_000, timeoutMs)).toEqual([]);
    expect(timeoutsToApply([], decided, now + UNSTORED_GRACE_MS + 1, timeoutMs)).toMatchObject([
      { orderId: o.orderId },
    ]);
  });
});
