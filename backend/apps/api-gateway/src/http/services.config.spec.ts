import { describe, expect, it } from 'vitest';
import { servicesConfigFromEnv } from './services.config.js';

describe('SERVICE_URLS', () => {
  it('defaults to the five services on their DESIGN ports', () => {
    const { services } = servicesConfigFromEnv({});
    expect(services.map((s) => s.name)).toEqual([
      'order-saga',
      'payment-service',
      'inventory-service',
      'notification-service',
      'analytics-service',
    ]);
    expect(services[0]?.url).toBe('http://127.0.0.1:3002');
  });

  it('reads name=url pairs, without a trailing slash', () => {
    const { services } = servicesConfigFromEnv({
      SERVICE_URLS: ' order-saga=http://10.0.0.2:4002/ , payment-service=http://h:4003',
    });
    expect(services).toEqual([
      { name: 'order-saga', url: 'http://10.0.0.2:4002' },
      { name: 'payment-service', url: 'http://h:4003' },
    ]);
  });

  it.each(['order-saga', 'order-saga=ftp://h:1', 'a=http://h:1,a=http://h:2', 'x=notaurl'])(
    'refuses %j, naming the variable',
    (value) => {
      expect(() => servicesConfigFromEnv({ SERVICE_URLS: value })).toThrow(/SERVICE_URLS/);
    },
  );
});
