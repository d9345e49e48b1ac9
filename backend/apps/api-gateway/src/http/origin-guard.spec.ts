import { describe, expect, it } from 'vitest';
import { forbiddenOrigin } from './origin-guard.js';

const dashboard = ['http://localhost:3000', 'http://127.0.0.1:3000'];

describe('forbiddenOrigin', () => {
  it('refuses a change sent by a page of another origin', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) {
      expect(forbiddenOrigin(method, 'https://evil.example', dashboard)).toMatchObject({
        error: 'forbidden_origin',
      });
    }
  });

  it('refuses the opaque origin of sandboxed frames and local files', () => {
    expect(forbiddenOrigin('POST', 'null', dashboard)?.error).toBe('forbidden_origin');
  });

  it('lets the dashboard and origin-less tools (curl, scripts) change things', () => {
    expect(forbiddenOrigin('POST', 'http://localhost:3000', dashboard)).toBeUndefined();
    expect(forbiddenOrigin('PUT', undefined, dashboard)).toBeUndefined();
  });

  it('lets any origin read', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(forbiddenOrigin(method, 'https://evil.example', dashboard)).toBeUndefined();
    }
  });
});
