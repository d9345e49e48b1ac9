import { randomUUID } from 'node:crypto';
import { createEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  dueTimeouts,
  type SagaInput,
  type SagaOutput,
  type SagaState,
  type SagaTimeout,
} from './saga.decider.js';
import { sagaDecider, SagaStateSchema } from './saga.processing.js';

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
 * order-saga in miniature: what `createOrderProcessor` does with the decider, where a batch's
 * outcomes and states are written together or not at all, with a state topic and
 * orders.outcome.v1 that survive a "crash", and memory that does not.
 */
class Saga {
  readonly published: SagaOutput[] = [];
  readonly stored = new Map<string, { state: SagaState; applied: string[] }>();
  readonly #decider = sagaDecider;

  /** A batch; `crash`: the process dies after deciding, before the batch is written. */
  handle(inputs: SagaInput[], fault?: 'crash'): void {
    const memory = new Map(this.stored);
    const outputs: SagaOutput[] = [];
    for (const input of inputs) {
      const orderId = input.orderId!;
      const current = memory.get(orderId) ?? { state: this.#decider.initialState, applied: [] };
      if (current.applied.includes(inputIdOf(input))) continue;
      const decided = this.#decider.decide(current.state, input as never);
      const state = [input, ...decided].reduce(
        (s: SagaState, e) => this.#decider.evolve(s, e as never),
        current.state,
      );
      memory.set(orderId, {
        state: SagaStateSchema.parse(state),
        applied: [...current.applied, inputIdOf(input)],
      });
      outputs.push(...decided);
    }
    if (fault === 'crash') return;
    this.published.push(...outputs);
    for (const [orderId, stored] of memory) this.stored.set(orderId, stored);
  }

  tick(now: number): void {
    const states = new Map([...this.stored].map(([id, { state }]) => [id, state]));
    this.handle(dueTimeouts(states, now, timeoutMs));
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
    saga.handle([ok.placed, ok.authorized, ok.reserved, no.placed, no.declined]);

    expect(saga.outcomesOf(ok.orderId).map((e) => e.type)).toEqual(['OrderCompleted']);
    expect(saga.outcomesOf(no.orderId)).toMatchObject([
      { type: 'OrderCancelled', data: { reasons: ['payment'] } },
    ]);
    expect(saga.stored.get(ok.orderId)?.state.outcome).toBe('completed');
  });

  it('given a crash before an outcome was written, when the replies come back in another order, then one outcome', () => {
    const saga = new Saga();
    const o = order();
    saga.handle([o.placed]);
    saga.handle([o.declined, o.rejected], 'crash');
    expect(saga.outcomesOf(o.orderId)).toEqual([]);

    saga.handle([o.rejected, o.declined]); // the redelivery: another topic may come first

    expect(saga.outcomesOf(o.orderId)).toMatchObject([
      { type: 'OrderCancelled', data: { reasons: ['inventory'] } },
    ]);
    expect(saga.stored.get(o.orderId)?.state.outcome).toBe('cancelled');
  });

  it('given one batch with two replies of an order, then the second sees the first and one outcome goes out', () => {
    const saga = new Saga();
    const o = order();
    saga.handle([o.placed, o.authorized, o.reserved, o.reserved]);

    expect(saga.outcomesOf(o.orderId).map((e) => e.type)).toEqual(['OrderCompleted']);
  });

  it('given a timeout that cancelled an order, when the last reply comes late, then it stays cancelled', () => {
    const saga = new Saga();
    const o = order();
    saga.handle([o.placed, o.authorized]);
    saga.tick(placedAt + timeoutMs);

    saga.handle([o.reserved]);

    expect(saga.outcomesOf(o.orderId).map((e) => e.type)).toEqual(['OrderCancelled']);
    expect(saga.stored.get(o.orderId)?.state).toMatchObject({
      outcome: 'cancelled',
      inventory: { ok: true },
    });
  });
});

describe('timeouts', () => {
  it('cancel orders past their deadline, and only once', () => {
    const saga = new Saga();
    const late = order();
    saga.handle([late.placed, late.authorized]);

    saga.tick(placedAt + timeoutMs - 1);
    expect(saga.outcomesOf(late.orderId)).toEqual([]);
    saga.tick(placedAt + timeoutMs);
    saga.tick(placedAt + timeoutMs + 1_000);

    expect(saga.outcomesOf(late.orderId)).toMatchObject([
      { type: 'OrderCancelled', data: { reasons: ['timeout'], details: ['no_reply: inventory'] } },
    ]);
  });
});
