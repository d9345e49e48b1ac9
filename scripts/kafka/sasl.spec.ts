import { describe, expect, it } from 'vitest';
import { connectionEnv, newLocalSasl, scramFormatArgs } from './sasl.js';

describe('local SASL user', () => {
  it('is kafkadog with a random password unless KAFKA_SASL_USERNAME/PASSWORD say otherwise', () => {
    const first = newLocalSasl({});
    expect(first.username).toBe('kafkadog');
    expect(first.password).toMatch(/^[\w-]{24}$/);
    expect(newLocalSasl({}).password).not.toBe(first.password);
    expect(newLocalSasl({ KAFKA_SASL_USERNAME: 'ada', KAFKA_SASL_PASSWORD: 'pw-123456' })).toEqual({
      username: 'ada',
      password: 'pw-123456',
    });
  });

  it('refuses what Kafka would parse wrongly, naming the variable', () => {
    expect(() => newLocalSasl({ KAFKA_SASL_USERNAME: 'a,b' })).toThrow(/KAFKA_SASL_USERNAME/);
    expect(() => newLocalSasl({ KAFKA_SASL_PASSWORD: 'pass"word]' })).toThrow(
      /KAFKA_SASL_PASSWORD/,
    );
  });

  it('is created for both SCRAM mechanisms when the storage is formatted', () => {
    expect(scramFormatArgs({ username: 'kafkadog', password: 'pw-123456' })).toEqual([
      '--add-scram',
      'SCRAM-SHA-256=[name=kafkadog,password=pw-123456]',
      '--add-scram',
      'SCRAM-SHA-512=[name=kafkadog,password=pw-123456]',
    ]);
  });

  it('is what the printed variables log in as', () => {
    expect(connectionEnv(['127.0.0.1:9092'], { username: 'kafkadog', password: 'pw' })).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: 'kafkadog',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(connectionEnv(['127.0.0.1:9092'], undefined)).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
  });
});
