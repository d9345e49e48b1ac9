import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseEnv, ConfigError, kafkaSecurityOf, parseEnv, Port } from './env.js';

/** A directory of this file's own for the CA files, deleted afterwards. */
const dir = mkdtempSync(join(tmpdir(), 'kafkadog-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseEnv', () => {
  it('applies defaults when nothing is set', () => {
    expect(parseEnv(baseEnv, {})).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      HOST: '127.0.0.1',
      KAFKADOG_PROCESSING: 'at-least-once',
      // A day of retention in the order topics, and two hourly segments to spare.
      ORDER_STATE_GRACE_MS: 26 * 60 * 60 * 1000,
      KAFKA_TLS: false,
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

describe('Kafka security settings', () => {
  const scram = {
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: 'orders',
    KAFKA_SASL_PASSWORD: 's3cret-pw',
  };
  const securityOf = (env: NodeJS.ProcessEnv) => kafkaSecurityOf(parseEnv(baseEnv, env));

  it('reads a SASL login', () => {
    expect(securityOf(scram)).toEqual({
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'orders', password: 's3cret-pw' },
    });
    expect(securityOf({})).toEqual({});
  });

  it('refuses a mechanism it does not know, naming the variable', () => {
    expect(() => securityOf({ ...scram, KAFKA_SASL_MECHANISM: 'GSSAPI' })).toThrow(
      /KAFKA_SASL_MECHANISM: expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 \(got "GSSAPI"\)/,
    );
  });

  it('refuses a mechanism without a username or a password, naming what is missing', () => {
    const { KAFKA_SASL_PASSWORD: _password, ...noPassword } = scram;
    expect(() => securityOf(noPassword)).toThrow(ConfigError);
    expect(() => securityOf(noPassword)).toThrow(
      /^invalid environment: KAFKA_SASL_PASSWORD: not set, and KAFKA_SASL_MECHANISM=SCRAM-SHA-512 needs/,
    );
    expect(() => securityOf({ KAFKA_SASL_MECHANISM: 'PLAIN' })).toThrow(
      /KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: not set/,
    );
    expect(() => securityOf({ KAFKA_SASL_USERNAME: 'orders' })).toThrow(
      /KAFKA_SASL_MECHANISM: not set, but KAFKA_SASL_USERNAME is/,
    );
  });

  it('refuses a CA file it cannot read, or that holds no certificate', () => {
    const missing = join(tmpdir(), 'kafkadog-no-such-ca.pem');
    expect(() => securityOf({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: missing })).toThrow(
      new RegExp(`KAFKA_TLS_CA_FILE: cannot read ${missing} \\(ENOENT\\)`),
    );
    const notPem = join(dir, 'not-pem.pem');
    writeFileSync(notPem, 'not a certificate');
    expect(() => securityOf({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: notPem })).toThrow(
      /KAFKA_TLS_CA_FILE: .* holds no PEM certificate/,
    );
  });

  it('reads TLS with a CA file, and wants KAFKA_TLS=true for one', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(securityOf({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: ca }).tls?.ca?.file).toBe(ca);
    expect(securityOf({ KAFKA_TLS: 'true' })).toEqual({ tls: {} });
    expect(() => securityOf({ KAFKA_TLS_CA_FILE: ca })).toThrow(/KAFKA_TLS: not true/);
    expect(() => securityOf({ KAFKA_TLS: 'yes' })).toThrow(/KAFKA_TLS: expected true or false/);
  });

  it('never shows a password in an error', () => {
    const errors: string[] = [];
    for (const env of [
      { ...scram, KAFKA_SASL_MECHANISM: 'SCRAM' },
      { KAFKA_SASL_USERNAME: 'orders', KAFKA_SASL_PASSWORD: 's3cret-pw' },
      { ...scram, KAFKA_TLS: 'maybe' },
    ]) {
      try {
        securityOf(env);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    expect(errors).toHaveLength(3);
    for (const message of errors) expect(message).not.toContain('s3cret-pw');
  });
});
