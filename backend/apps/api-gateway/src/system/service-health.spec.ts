import { describe, expect, it } from 'vitest';
import { readHealth } from './service-health.js';

const url = 'http://127.0.0.1:3003';

describe('readHealth', () => {
  it('is up on 200', () => {
    expect(readHealth('payment-service', url, 200, { status: 'ok' }).status).toBe('up');
  });

  it('is starting while the service waits for Kafka or loads its state', () => {
    const waiting = readHealth('payment-service', url, 503, {
      status: 'starting',
      message: 'payment-service is starting',
    });
    expect(waiting).toMatchObject({ status: 'starting', detail: 'payment-service is starting' });
    const loading = readHealth('payment-service', url, 503, {
      status: 'unavailable',
      checks: { kafka: 'up', processing: 'starting' },
    });
    expect(loading).toMatchObject({ status: 'starting', detail: 'processing: starting' });
  });

  it('is down, naming the failing checks, when Kafka is away', () => {
    expect(
      readHealth('payment-service', url, 503, {
        status: 'unavailable',
        checks: { kafka: 'down', processing: 'up' },
      }),
    ).toMatchObject({ status: 'down', detail: 'kafka: down' });
  });
});
