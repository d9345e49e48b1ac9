import { describe, expect, it } from 'vitest';
import { parseReplayArgs, parseTarget } from './args.js';

describe('parseTarget', () => {
  it('reads earliest, latest, an offset and an ISO time', () => {
    expect(parseTarget('earliest')).toBe('earliest');
    expect(parseTarget('latest')).toBe('latest');
    expect(parseTarget('42')).toEqual({ offset: '42' });
    expect(parseTarget('2026-01-31T12:00:00Z')).toEqual({ timestamp: '2026-01-31T12:00:00.000Z' });
    expect(parseTarget('2026-01-31T13:00:00+01:00')).toEqual({
      timestamp: '2026-01-31T12:00:00.000Z',
    });
    expect(parseTarget('2026-01-31')).toEqual({ timestamp: '2026-01-31T00:00:00.000Z' });
  });

  it('refuses anything else with the forms it takes', () => {
    expect(() => parseTarget('yesterday')).toThrow(/earliest, latest, an offset .* or an ISO time/);
    expect(() => parseTarget('-1')).toThrow(/--to -1/);
    expect(() => parseTarget('2026-13-45')).toThrow(/--to/);
  });
});

describe('parseReplayArgs', () => {
  it('reads one or more groups, or --all', () => {
    expect(parseReplayArgs(['--group', 'order-saga', '--to', 'earliest'], {})).toEqual({
      help: false,
      groups: ['order-saga'],
      all: false,
      to: 'earliest',
      dryRun: false,
      timeoutSec: 120,
      gateway: 'http://localhost:3001',
    });
    expect(parseReplayArgs(['-g', 'a', '-g', 'b', '--to', '0'], {}).groups).toEqual(['a', 'b']);
    expect(parseReplayArgs(['--all', '--to', 'latest', '--dry-run'], {})).toMatchObject({
      all: true,
      groups: [],
      dryRun: true,
    });
  });

  it('needs a group or --all, not both, and --to', () => {
    expect(() => parseReplayArgs(['--to', 'earliest'], {})).toThrow(/--group order-saga.*--all/);
    expect(() => parseReplayArgs(['--all', '-g', 'x', '--to', '0'], {})).toThrow(/exclude/);
    expect(() => parseReplayArgs(['--all'], {})).toThrow(/--to earliest/);
    expect(parseReplayArgs(['--help'], {}).help).toBe(true);
  });
});
