import type { EventOf } from '@kafkadog/contracts';
import { silentLogger } from '@kafkadog/kafka';
import { describe, expect, it } from 'vitest';
import type { StockLevels } from './inventory.decider.js';
import { StockPublisher } from './stock-publisher.js';

type Sent = EventOf<'StockChanged'>['data'];

function setup(fail = 0) {
  let stock: StockLevels = { 'sku-gpu': { available: 3, reserved: 0, sold: 0 } };
  const sent: Sent[] = [];
  let failures = fail;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const publisher = new StockPublisher(
    () => stock,
    async (event) => {
      if (gate) await gate;
      if (failures-- > 0) throw new Error('broker away');
      sent.push(event.data);
    },
    silentLogger,
  );
  return {
    publisher,
    sent,
    setStock: (next: StockLevels) => (stock = next),
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
      (event) => {
        sent.push(event.data);
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
});
