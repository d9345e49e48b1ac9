import { ConfigError } from '@kafkadog/service';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_URLS, servicesConfigFromEnv } from './services.config.js';

describe('SERVICE_URLS', () => {
  it('defaults to the five other services at their fixed ports', () => {
    expect(servicesConfigFromEnv({}).urls).toEqual(DEFAULT_SERVICE_URLS);
  });

  it('reads name=url pairs, without trailing slashes', () => {
    const { urls } = servicesConfigFromEnv({
      SERVICE_URLS: 'order-saga=http://127.0.0.1:4002/, payment-service=http://127.0.0.1:4003',
    });
    expect(urls).toEqual({
      'order-saga': 'http://127.0.0.1:4002',
      'payment-service': 'http://127.0.0.1:4003',
    });
  });

  it('refuses an entry without a URL, naming the variable', () => {
    expect(() => servicesConfigFromEnv({ SERVICE_URLS: 'order-saga' })).toThrow(ConfigError);
    expect(() => servicesConfigFromEnv({ SERVICE_URLS: 'order-saga=nope' })).toThrow(
      /SERVICE_URLS/,
    );
  });
});
