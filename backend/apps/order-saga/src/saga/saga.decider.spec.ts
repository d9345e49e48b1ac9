import { randomUUID } from 'node:crypto';
import { createEvent, topicOf, validateEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  compensations,
  compensationsOwed,
  decide,
  dueTimeouts,
  evolve,
  initialSagaState,
  type Compensation,
  type SagaInput,
  type SagaOutput,
  type SagaState,
} from './saga.decider.js';

const items = [{ productId: 'sku-gpu', quantity: 1, unitPrice: 79_900 }];

function order(orderId = randomUUID(), placedAt = '2025-01-01T12:00:00.000Z') {
  const ids = { orderId };
  const placed = {
    ...createEvent(
      'OrderPlaced',
      { customerEmail: 'ada@example.com', items, total: 79_900, cardNumber: '4242424242424242' },
      ids,
    ),
    occurredAt: placedAt,
  };
  return {
    orderId,
    placed,
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
    voided: createEvent('PaymentVoided', { paymentId: randomUUID(), amount: 79_900 }, ids),
    released: createEvent(
      'InventoryReleased',
      { items: [{ productId: 'sku-gpu', quantity: 1 }] },
      ids,
    ),
  };
}

/** Handles inputs as the adapter does; returns the final state and every outcome emitted. */
function run(inputs: SagaInput[], from: SagaState = initialSagaState) {
  const outputs: SagaOutput[] = [];
  let state = from;
  for (const input of inputs) {
    const emitted = decide(state, input);
    outputs.push(...emitted);
    state = [input, ...emitted].reduce(evolve, state);
  }
  return { state, outputs };
}

describe('completing an order', () => {
  it('given an order placed and paid, when stock is reserved, then OrderCompleted with the order data', () => {
    const o = order();
    const { state } = run([o.placed, o.authorized]);

    const outputs = decide(state, o.reserved);

    expect(outputs).toMatchObject([
      {
        type: 'OrderCompleted',
        orderId: o.orderId,
        correlationId: o.orderId,
        causationId: o.reserved.id,
        data: { customerEmail: 'ada@example.com', items, total: 79_900 },
      },
    ]);
    expect(() => validateEvent(outputs[0]!)).not.toThrow();
  });

  it('given only one positive reply, then it waits', () => {
    const o = order();
    expect(run([o.placed, o.reserved]).outputs).toEqual([]);
    expect(run([o.placed, o.authorized]).outputs).toEqual([]);
  });

  it('given both replies before the OrderPlaced, when it arrives, then OrderCompleted caused by it', () => {
    const o = order();
    const { state, outputs } = run([o.authorized, o.reserved]);
    expect(outputs).toEqual([]);

    expect(decide(state, o.placed)).toMatchObject([
      { type: 'OrderCompleted', causationId: o.placed.id, data: { total: 79_900 } },
    ]);
  });
});

describe('cancelling an order', () => {
  it('given an order placed, when payment is declined, then OrderCancelled at once, without waiting for inventory', () => {
    const o = order();
    const { state } = run([o.placed]);

    const outputs = decide(state, o.declined);

    expect(outputs).toMatchObject([
      {
        type: 'OrderCancelled',
        causationId: o.declined.id,
        data: {
          customerEmail: 'ada@example.com',
          reasons: ['payment'],
          details: ['card_declined'],
        },
      },
    ]);
    expect(() => validateEvent(outputs[0]!)).not.toThrow();
  });

  it('given an order placed and paid, when stock is rejected, then OrderCancelled for inventory', () => {
    const o = order();
    expect(run([o.placed, o.authorized, o.rejected]).outputs).toMatchObject([
      {
        type: 'OrderCancelled',
        data: { reasons: ['inventory'], details: ['insufficient_stock: sku-gpu'] },
      },
    ]);
  });

  it('given both replies negative before the OrderPlaced, when it arrives, then both reasons', () => {
    const o = order();
    expect(run([o.rejected, o.declined, o.placed]).outputs).toMatchObject([
      {
        type: 'OrderCancelled',
        data: {
          reasons: ['payment', 'inventory'],
          details: ['card_declined', 'insufficient_stock: sku-gpu'],
        },
      },
    ]);
  });

  it('given an order cancelled for payment, when inventory also says no, then no second outcome', () => {
    const o = order();
    const { outputs } = run([o.placed, o.declined, o.rejected]);
    expect(outputs.map((e) => e.type)).toEqual(['OrderCancelled']);
  });

  it('given a payment decision, when a contradicting redelivery arrives, then the first reply stands', () => {
    const o = order();
    expect(run([o.authorized, o.declined]).state.payment).toEqual({ ok: true });
    expect(run([o.declined, o.authorized]).state.payment).toMatchObject({ ok: false });
  });
});

describe('exactly one outcome per order', () => {
  const permutations = <T>(list: T[]): T[][] =>
    list.length <= 1
      ? [list]
      : list.flatMap((first, i) =>
          permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [first, ...rest]),
        );

  const cases = [
    { payment: 'authorized', inventory: 'reserved', outcome: 'OrderCompleted' },
    { payment: 'authorized', inventory: 'rejected', outcome: 'OrderCancelled' },
    { payment: 'declined', inventory: 'reserved', outcome: 'OrderCancelled' },
    { payment: 'declined', inventory: 'rejected', outcome: 'OrderCancelled' },
  ] as const;

  it.each(cases)(
    'given $payment + $inventory in any order, each delivered twice, then exactly one $outcome',
    ({ payment, inventory, outcome }) => {
      for (const ordering of permutations(['placed', payment, inventory] as const)) {
        const o = order();
        const inputs = ordering.flatMap((name) => [o[name], o[name]]);

        const { outputs, state } = run(inputs);

        expect(
          outputs.map((e) => e.type),
          ordering.join(' → '),
        ).toEqual([outcome]);
        // Redelivering all of it, and its compensations, once more changes nothing.
        expect(run([...inputs, o.voided, o.released], state).outputs).toEqual([]);
      }
    },
  );

  it('given an outcome folded from orders.outcome.v1 (a rebuild), then no input produces another', () => {
    const o = order();
    const { outputs } = run([o.placed, o.authorized, o.reserved]);

    const rebuilt = outputs.reduce(evolve, initialSagaState);

    expect(run([o.placed, o.authorized, o.reserved], rebuilt).outputs).toEqual([]);
    expect(decide(rebuilt, { type: 'SagaTimeout', orderId: o.orderId, at: 0 })).toEqual([]);
  });
});

describe('timeouts', () => {
  const placedAt = Date.parse('2025-01-01T12:00:00.000Z');
  const timeoutMs = 30_000;

  it('given a placed order missing a reply, when its timeout elapses, then it is due, not before', () => {
    const o = order();
    const sagas = new Map([[o.orderId, run([o.placed, o.authorized]).state]]);

    expect(dueTimeouts(sagas, placedAt + timeoutMs - 1, timeoutMs)).toEqual([]);
    expect(dueTimeouts(sagas, placedAt + timeoutMs, timeoutMs)).toEqual([
      { type: 'SagaTimeout', orderId: o.orderId, at: placedAt + timeoutMs },
    ]);
  });

  it('given a timeout, when decided, then OrderCancelled for timeout naming the missing replies', () => {
    const o = order();
    const { state } = run([o.placed, o.authorized]);

    const outputs = decide(state, { type: 'SagaTimeout', orderId: o.orderId, at: placedAt });

    expect(outputs).toMatchObject([
      {
        type: 'OrderCancelled',
        orderId: o.orderId,
        causationId: o.placed.id,
        data: { reasons: ['timeout'], details: ['no_reply: inventory'] },
      },
    ]);
    expect(() => validateEvent(outputs[0]!)).not.toThrow();
  });

  it('given no reply at all, when it times out, then both steps are named', () => {
    const o = order();
    const timeout = { type: 'SagaTimeout', orderId: o.orderId, at: placedAt } as const;
    expect(run([o.placed, timeout]).outputs).toMatchObject([
      { data: { details: ['no_reply: payment', 'no_reply: inventory'] } },
    ]);
  });

  it('given an order timed out, then it is no longer due, a second timeout and late replies do nothing', () => {
    const o = order();
    const timeout = { type: 'SagaTimeout', orderId: o.orderId, at: placedAt } as const;
    const { state, outputs } = run([o.placed, o.authorized, timeout, timeout, o.reserved]);

    expect(outputs).toHaveLength(1);
    expect(
      dueTimeouts(new Map([[o.orderId, state]]), placedAt + 10 * timeoutMs, timeoutMs),
    ).toEqual([]);
  });

  it('given orders with an outcome or without their OrderPlaced, then none is due', () => {
    const done = order();
    const orphan = order();
    const sagas = new Map([
      [done.orderId, run([done.placed, done.declined]).state],
      [orphan.orderId, run([orphan.authorized]).state],
    ]);

    expect(dueTimeouts(sagas, placedAt + 10 * timeoutMs, timeoutMs)).toEqual([]);
    expect(
      decide(sagas.get(orphan.orderId)!, { type: 'SagaTimeout', orderId: orphan.orderId, at: 0 }),
    ).toEqual([]);
  });

  it('given a reply-only order, when its OrderPlaced finally comes, then the clock starts from it', () => {
    const o = order();
    const { state } = run([o.authorized, o.placed]);
    const sagas = new Map([[o.orderId, state]]);

    expect(dueTimeouts(sagas, placedAt + timeoutMs - 1, timeoutMs)).toEqual([]);
    expect(dueTimeouts(sagas, placedAt + timeoutMs, timeoutMs)).toHaveLength(1);
  });

  it('given all replies folded but no outcome (a crash between fold and send), when it times out, then the outcome by the replies', () => {
    const o = order();
    const undecided = [o.placed, o.authorized, o.reserved].reduce(evolve, initialSagaState);
    const sagas = new Map([[o.orderId, undecided]]);

    const [timeout] = dueTimeouts(sagas, placedAt + timeoutMs, timeoutMs);

    expect(decide(undecided, timeout!)).toMatchObject([
      { type: 'OrderCompleted', causationId: o.placed.id },
    ]);
  });

  it('lists only the due orders among many', () => {
    const early = order(randomUUID(), '2025-01-01T12:00:00.000Z');
    const late = order(randomUUID(), '2025-01-01T12:00:20.000Z');
    const sagas = new Map([
      [early.orderId, run([early.placed]).state],
      [late.orderId, run([late.placed]).state],
    ]);

    expect(dueTimeouts(sagas, placedAt + timeoutMs, timeoutMs).map((t) => t.orderId)).toEqual([
      early.orderId,
    ]);
  });
});

describe('compensations', () => {
  it('each compensation undoes a step of the same service, on that service’s own topic', () => {
    const pairs = Object.entries(compensations) as [keyof typeof compensations, Compensation][];
    expect(pairs).toHaveLength(2);
    for (const [step, compensation] of pairs) {
      expect(topicOf(compensation)).toBe(topicOf(step));
    }
  });

  it('given payment declined after stock was reserved, then the reservation is owed a release', () => {
    const o = order();
    expect(compensationsOwed(run([o.placed, o.reserved, o.declined]).state)).toEqual([
      'InventoryReleased',
    ]);
  });

  it('given a timeout and a late authorization, then the authorization is owed a void', () => {
    const o = order();
    const timeout = { type: 'SagaTimeout', orderId: o.orderId, at: 0 } as const;
    expect(compensationsOwed(run([o.placed, timeout, o.authorized]).state)).toEqual([
      'PaymentVoided',
    ]);
  });

  it('given a completed order or one where both said no, then nothing is owed', () => {
    const ok = order();
    const no = order();
    expect(compensationsOwed(run([ok.placed, ok.authorized, ok.reserved]).state)).toEqual([]);
    expect(compensationsOwed(run([no.placed, no.declined, no.rejected]).state)).toEqual([]);
  });
});
