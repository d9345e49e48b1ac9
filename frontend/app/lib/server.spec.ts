import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserApiUrl, serverApiUrl } from './server';

describe('the gateway URLs of the dashboard', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('gives the browser and the server API_URL when that is all there is', () => {
    vi.stubEnv('API_URL', 'http://127.0.0.1:4001/');
    vi.stubEnv('API_INTERNAL_URL', '');
    expect(browserApiUrl()).toBe('http://127.0.0.1:4001');
    expect(serverApiUrl()).toBe('http://127.0.0.1:4001');
  });

  it('lets the server reach the gateway at API_INTERNAL_URL while the browser keeps API_URL', () => {
    vi.stubEnv('API_URL', 'http://localhost:3001');
    vi.stubEnv('API_INTERNAL_URL', 'http://api-gateway:3001');
    expect(browserApiUrl()).toBe('http://localhost:3001');
    expect(serverApiUrl()).toBe('http://api-gateway:3001');
  });
});
