import { describe, expect, it } from 'vitest';
import { parseHeaderLines } from './headers';

describe('parseHeaderLines', () => {
  it('reads one header per line, the value after the first colon', () => {
    expect(parseHeaderLines('event-type: Poison\nsource:dashboard\nurl: http://x:1')).toEqual({
      'event-type': 'Poison',
      source: 'dashboard',
      url: 'http://x:1',
    });
  });

  it('skips empty lines and lines without a name', () => {
    expect(parseHeaderLines('\n: nameless\njust text\n')).toEqual({});
  });
});
