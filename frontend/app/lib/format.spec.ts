import { describe, expect, it } from 'vitest';
import { formatAge, formatCents, formatClock, formatDuration, prettyJson } from './format';

describe('formatDuration', () => {
  it('reads like a person would say it', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2100)).toBe('2.1 s');
    expect(formatDuration(4000)).toBe('4 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(-1500)).toBe('-1.5 s');
  });
});

describe('formatAge', () => {
  it('is relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:10Z');
    expect(formatAge('2025-01-01T00:00:10Z', now)).toBe('now');
    expect(formatAge('2025-01-01T00:00:07Z', now)).toBe('3 s ago');
  });
});

describe('formats', () => {
  it('prints cents as dollars, clocks in UTC, JSON indented', () => {
    expect(formatCents(8999)).toBe('$89.99');
    expect(formatClock('2025-01-01T14:03:07.123Z')).toBe('14:03:07.123');
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('not json')).toBe('not json');
  });
});
