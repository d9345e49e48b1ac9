import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseEnv, ConfigError, parseEnv, Port } from './env.js';

describe('parseEnv', () => {
  it('applies defaults when nothing is set', () => {
    expect(parseEnv(baseEnv, {})).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      HOST: '127.0.0.1',
      KAFKADOG_PROCESSING: 'at-least-once',
      // A day of retention in the order topics, and two hourly segments to spare.
      ORDER_STATE_GRACE_MS: 26 * 60 * 60 * 1000,
    });
  });

  it('takes the processing mode, and refuses one it does not know', () => {
    expect(parseEnv(baseEnv, { KAFKADOG_PROCESSING: 'exactly-once' }).KAFKADOG_PROCESSING).toBe(
      'exactly-once',
    );
    expect(() => parseEnv(baseEnv, { KAFKADOG_PROCESSING: 'exactly-twice' })).toThrow(
      /KAFKADOG_PROCESSING: .*\(got "exactly-twice"\)/,
    );
  });

  it('splits a broker list', () => {
    expect(parseEnv(baseEnv, { KAFKA_BROKERS: 'a:1, b:2' }).KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });

  it('names the bad variable and its value', () => {
    const schema = baseEnv.extend({ PORT: Port });
    expect(() => parseEnv(schema, { PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseEnv(schema, { PORT: 'eighty' })).toThrow(/PORT: .*\(got "eighty"\)/);
    expect(() => parseEnv(baseEnv, { KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS/);
  });

  it('accepts service-specific variables', () => {
    const schema = baseEnv.extend({
      SAGA_TIMEOUT_MS: z.coerce.number().positive().default(30_000),
    });
    expect(parseEnv(schema, { SAGA_TIMEOUT_MS: '500' }).SAGA_TIMEOUT_MS).toBe(500);
  });
});
