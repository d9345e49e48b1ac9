import { describe, expect, it } from 'vitest';
import { parseSeedArgs } from './args.js';

describe('parseSeedArgs', () => {
  it('defaults to 50 orders through the gateway npm start runs', () => {
    expect(parseSeedArgs([], {})).toEqual({
      help: false,
      orders: 50,
      concurrency: 8,
      timeoutSec: 60,
      gateway: 'http://localhost:3001',
    });
  });

  it('reads --orders, --gateway, and the gateway from the environment', () => {
    expect(parseSeedArgs(['--orders', '200'], {}).orders).toBe(200);
    expect(parseSeedArgs(['-n', '7', '--gateway', 'http://h:1/'], {})).toMatchObject({
      orders: 7,
      gateway: 'http://h:1',
    });
    expect(parseSeedArgs([], { PORT_API_GATEWAY: '42601' }).gateway).toBe('http://localhost:42601');
    expect(parseSeedArgs([], { KAFKADOG_GATEWAY_URL: 'http://g:9' }).gateway).toBe('http://g:9');
  });

  it('refuses what it cannot use, naming the option', () => {
    expect(() => parseSeedArgs(['--orders', '0'], {})).toThrow(
      /--orders needs a whole number ≥ 1 \(got "0"\)/,
    );
    expect(() => parseSeedArgs(['--orders', 'many'], {})).toThrow(/--orders/);
    expect(() => parseSeedArgs(['--order', '5'], {})).toThrow(/npm run seed -- --help/);
  });
});
