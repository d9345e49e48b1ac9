import { describe, expect, it } from 'vitest';
import { diagnose, newClusterId } from './cluster.js';

describe('newClusterId', () => {
  it('is 22 base64url characters that never start with a dash', () => {
    for (let i = 0; i < 200; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});

describe('diagnose', () => {
  it('names the fix for an unformatted storage', () => {
    expect(diagnose('No `meta.properties` found in /x/data')).toMatch(/kafka:stop -- --wipe/);
  });

  it('names the fix for a taken port', () => {
    expect(diagnose('java.net.BindException: Address already in use')).toMatch(
      /KAFKADOG_KAFKA_PORT/,
    );
  });

  it('falls back to the log and the wipe command', () => {
    expect(diagnose('something else')).toMatch(/fix what the log says/);
  });
});
