import { describe, expect, it } from 'vitest';
import { clientConnection, describeSecurity, readKafkaSecurity } from '../src/connection/index.js';
import { isAuthenticationError, isRetriable } from '../src/errors.js';
import { AuthenticationError, MultipleErrors, NetworkError } from '@platformatic/kafka';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('clientConnection', () => {
  it('gives a plaintext client only its bootstrap brokers', () => {
    expect(clientConnection('a:9092, b:9093', {})).toEqual({
      bootstrapBrokers: ['a:9092', 'b:9093'],
    });
  });

  it('passes a SASL login to the client as it expects it', () => {
    const sasl = { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' } as const;
    expect(clientConnection(['a:9092'], { sasl })).toEqual({
      bootstrapBrokers: ['a:9092'],
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' },
    });
  });

  it('turns TLS on, with the CA file as the only trusted root, and SNI for named brokers', () => {
    const ca = { file: '/ca.pem', pem: PEM };
    expect(clientConnection(['b-1.kafka.eu-west-1.amazonaws.com:9096'], { tls: { ca } })).toEqual({
      bootstrapBrokers: ['b-1.kafka.eu-west-1.amazonaws.com:9096'],
      tls: { ca: PEM },
      tlsServerName: true,
    });
    // Node's own CA list verifies a managed cluster's public certificate.
    expect(clientConnection(['pkc-1.confluent.cloud:9092'], { tls: {} }).tls).toEqual({});
    // An IP address is no server name: no SNI.
    expect(clientConnection(['127.0.0.1:9093'], { tls: {} })).toEqual({
      bootstrapBrokers: ['127.0.0.1:9093'],
      tls: {},
    });
  });

  it('reads the settings from the environment, TLS and SASL together', () => {
    const security = readKafkaSecurity({
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: 'API_KEY',
      KAFKA_SASL_PASSWORD: 'API_SECRET',
      KAFKA_TLS: 'true',
    });
    expect(clientConnection('pkc-1.confluent.cloud:9092', security)).toEqual({
      bootstrapBrokers: ['pkc-1.confluent.cloud:9092'],
      sasl: { mechanism: 'PLAIN', username: 'API_KEY', password: 'API_SECRET' },
      tls: {},
      tlsServerName: true,
    });
    expect(describeSecurity(security)).toBe('SASL PLAIN as "API_KEY" over TLS');
    expect(readKafkaSecurity({ KAFKA_TLS: '' })).toEqual({});
  });
});

describe('isAuthenticationError', () => {
  it('finds a refused login however deep the client nests it, and never retries it', () => {
    const refused = new MultipleErrors('Cannot connect to any broker.', [
      new NetworkError('Connection to a:9092 failed.', {
        cause: new AuthenticationError('SASL authentication failed.'),
      }),
    ]);
    expect(isAuthenticationError(refused)).toBe(true);
    expect(isRetriable(refused)).toBe(false);
    const down = new MultipleErrors('Cannot connect to any broker.', [
      new NetworkError('Connection to a:9092 failed.'),
    ]);
    expect(isAuthenticationError(down)).toBe(false);
    expect(isRetriable(down)).toBe(true);
  });
});
