import { createEvent } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { foldPauseRecord } from './group-pauses.js';

function pauseRecord(groupId: string, paused: boolean) {
  const event = createEvent('GroupPauseSet', { groupId, paused });
  return { key: groupId, value: Buffer.from(JSON.stringify(event)) };
}

describe('foldPauseRecord', () => {
  it('given no pause, when a group is paused, then it is paused and the change is told', () => {
    const folded = foldPauseRecord(new Set(), pauseRecord('payment-service', true));
    expect([...folded.paused]).toEqual(['payment-service']);
    expect(folded.change).toEqual({ groupId: 'payment-service', paused: true });
  });

  it('given a paused group, when it is resumed, then only that group runs again', () => {
    const folded = foldPauseRecord(
      new Set(['payment-service', 'order-saga']),
      pauseRecord('payment-service', false),
    );
    expect([...folded.paused]).toEqual(['order-saga']);
    expect(folded.change).toEqual({ groupId: 'payment-service', paused: false });
  });

  it('given a paused group, when the same pause is read again, then nothing changes', () => {
    const paused = new Set(['payment-service']);
    const folded = foldPauseRecord(paused, pauseRecord('payment-service', true));
    expect(folded.paused).toBe(paused);
    expect(folded.change).toBeUndefined();
  });

  it('given a paused group, when its key is deleted (a tombstone), then it is resumed', () => {
    const folded = foldPauseRecord(new Set(['order-saga']), {
      key: 'order-saga',
      value: undefined,
    });
    expect(folded.paused.size).toBe(0);
    expect(folded.change).toEqual({ groupId: 'order-saga', paused: false });
  });

  it('given a paused group, when a record is not a valid pause, then it is ignored with the reason', () => {
    const paused = new Set(['order-saga']);
    const folded = foldPauseRecord(paused, { key: 'order-saga', value: Buffer.from('{oops') });
    expect(folded.paused).toBe(paused);
    expect(folded.change).toBeUndefined();
    expect(folded.ignored).toBeTruthy();
  });
});
