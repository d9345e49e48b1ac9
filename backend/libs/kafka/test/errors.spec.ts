import { NetworkError, ProtocolError, TimeoutError, UserError } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { describeError, isRetriable, KafkadogError } from '../src/errors.js';

describe('KafkadogError', () => {
  it('carries a code, a cause and whether it is retriable', () => {
    const cause = new Error('socket hang up');
    const error = new KafkadogError('INVENTORY_UNAVAILABLE', 'inventory is down', {
      cause,
      retriable: true,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'INVENTORY_UNAVAILABLE', retriable: true, cause });
    expect(new KafkadogError('X', 'y').retriable).toBe(false);
  });
});

describe('isRetriable', () => {
  it.each([
    ['a retriable KafkadogError', new KafkadogError('A', 'a', { retriable: true }), true],
    ['a non-retriable KafkadogError', new KafkadogError('A', 'a'), false],
    ['a client network error', new NetworkError('connection closed'), true],
    ['a client timeout', new TimeoutError('request timed out'), true],
    ['a retriable broker error', new ProtocolError('NOT_LEADER_OR_FOLLOWER'), true],
    ['a fatal broker error', new ProtocolError('TOPIC_AUTHORIZATION_FAILED'), false],
    ['a client usage error', new UserError('bad option'), false],
    ['a refused connection', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), true],
    ['a bug', new TypeError('x is undefined'), false],
    ['a thrown string', 'boom', false],
  ])('%s → %s', (_, error, expected) => {
    expect(isRetriable(error)).toBe(expected);
  });
});

describe('describeError', () => {
  it('is one line with the code first', () => {
    expect(describeError(new KafkadogError('DOWN', 'not\n  there'))).toBe('DOWN: not there');
    expect(describeError('plain')).toBe('plain');
  });
});
