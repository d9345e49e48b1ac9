import { describe, expect, it } from 'vitest';
import { requireAvailable } from './processing.js';

describe('processing modes', () => {
  it('runs at-least-once', () => {
    expect(() => requireAvailable(['at-least-once'])).not.toThrow();
  });

  it('says clearly that exactly-once is not available yet', () => {
    expect(() => requireAvailable(['at-least-once', 'exactly-once'])).toThrow(
      /exactly-once is not available yet/,
    );
  });
});
