import { describe, expect, it } from 'vitest';
import { shouldRelease } from './idle-release.js';

const idle = { cpuMs: 50, intervalMs: 10_000 };

describe('giving memory back when idle', () => {
  it('given an idle service that grew since the last release, then it releases', () => {
    expect(shouldRelease({ ...idle, rssMb: 280, rssAfterReleaseMb: 140 })).toBe(true);
  });

  it('given a busy service, then it waits, however much it grew', () => {
    expect(
      shouldRelease({ cpuMs: 2_000, intervalMs: 10_000, rssMb: 400, rssAfterReleaseMb: 140 }),
    ).toBe(false);
  });

  it('given an idle service that barely grew, then a GC is not worth it', () => {
    expect(shouldRelease({ ...idle, rssMb: 160, rssAfterReleaseMb: 140 })).toBe(false);
  });
});
