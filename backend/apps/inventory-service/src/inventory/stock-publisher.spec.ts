import type { EventOf } from '@kafkadog/contracts';
import { silentLogger } from '@kafkadog/kafka';
import { describe, expect, it } from 'vitest';
import type { StockLevels } from './inventory.decider.js';
import { StockPublisher } from './stock-publisher.js';

type Sent = EventOf<'StockChanged'>['data'];

function setup(fail = 0) {
  let stock: StockLevels | undefined = { 'sku-gpu': { available: 3, reserved: 0, sold: 0 } };
  let fenced = false;
  const sent: Sent[] = [];
  const requests: Sent[][] = [];
  let failures = fail;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const publisher = new StockPublisher(
    () => stock,
    async (events) => {
      if (gate) await gate;
      if (failures-- > 0) throw new Error('broker away');
      sent.push(...events.map((event) => event.data));
      requests.push(events.map((event) => event.data));
    },
    silentLogger,
    () => {
      if (fenced) throw new Error('NOT_LEASE_HOLDER');
    },
  );
  return {
    publisher,
    sent,
    requests,
    setStock: (next: StockLevels | undefined) => (stock = next),
    fence: (closed: boolean) => (fenced = closed),
    hold: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => {
      gate = undefined;
      release?.();
    },
  };
}

describe('publishing stock changes', () => {
  it('publishes a changed product with its numbers as they are when sent', async () => {
    const s = setup();
    s.publisher.changed(['sku-gpu']);
    await s.publisher.flushed();
    expect(s.sent).toEqual([{ productId: 'sku-gpu', available: 3, reserved: 0, sold: 0 }]);
  });

  it('coalesces changes that arrive while it publishes, and ends with the latest numbers', async () => {
    const s = setup();
    s.hold();
    s.publisher.changed(['sku-gpu']);
    s.setStock({ 'sku-gpu': { available: 2, reserved: 1, sold: 0 } });
    s.publisher.changed(['sku-gpu']);
    s.setStock({ 'sku-gpu': { available: 1, reserved: 2, sold: 0 } });
    s.publisher.changed(['sku-gpu']);
    s.release();
    await s.publisher.flushed();

    expect(s.sent.length).toBeLessThanOrEqual(2);
    expect(s.sent.at(-1)).toEqual({ productId: 'sku-gpu', available: 1, reserved: 2, sold: 0 });
  });

  it('publishes every product changed meanwhile in one request', async () => {
    const s = setup();
    s.setStock({
      'sku-gpu': { available: 3, reserved: 0, sold: 0 },
      'sku-mouse': { available: 9, reserved: 1, sold: 0 },
      'sku-desk': { available: 4, reserved: 0, sold: 1 },
    });
    s.hold();
    s.publisher.changed(['sku-gpu']);
    await new Promise((resolve) => setTimeout(resolve, 0)); // its request is on the way
    s.publisher.changed(['sku-mouse', 'sku-desk']);
    s.publisher.changed(['sku-gpu']);
    s.release();
    await s.publisher.flushed();

    expect(s.requests.map((request) => request.map((data) => data.productId))).toEqual([
      ['sku-gpu'],
      ['sku-mouse', 'sku-desk', 'sku-gpu'],
    ]);
  });

  it('tries a failed publish again until it goes through', async () => {
    const s = setup(1);
    s.publisher.changed(['sku-gpu']);
    await s.publisher.flushed();
    expect(s.sent).toHaveLength(1);
  });
});

describe('while the stock is loading', () => {
  it('keeps the changes until there is stock to publish', async () => {
    let levels: StockLevels | undefined = undefined;
    const sent: Sent[] = [];
    const publisher = new StockPublisher(
      () => levels,
      (events) => {
        sent.push(...events.map((event) => event.data));
        return Promise.resolve();
      },
      silentLogger,
    );

    publisher.changed(['sku-gpu']);
    await publisher.flushed();
    expect(sent).toEqual([]);

    levels = { 'sku-gpu': { available: 1, reserved: 2, sold: 0 } };
    publisher.changed([]);
    await publisher.flushed();
    expect(sent).toEqual([{ productId: 'sku-gpu', available: 1, reserved: 2, sold: 0 }]);
  });

  it('given a closed fence (the lease may have moved on), then it publishes nothing until it opens', async () => {
    const s = setup();
    s.fence(true);
    s.publisher.changed(['sku-gpu']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(s.sent).toEqual([]);
    s.setStock({ 'sku-gpu': { available: 1, reserved: 0, sold: 2 } });
    s.fence(false);
    await s.publisher.flushed();
    expect(s.sent).toEqual([{ productId: 'sku-gpu', available: 1, reserved: 0, sold: 2 }]);
  });

  it('given a closed fence and the processing stopped, then its stale numbers are never published', async () => {
    const s = setup();
    s.fence(true);
    s.publisher.changed(['sku-gpu']);
    // Deactivated: the stock is gone (the next holder publishes every product at its start).
    s.setStock(undefined);
    await s.publisher.flushed();
    s.fence(false);
    expect(s.sent).toEqual([]);
  });
});
