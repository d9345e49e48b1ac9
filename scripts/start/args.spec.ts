import { describe, expect, it } from 'vitest';
import { SERVICES } from '../lib/services.js';
import { helpText, parseStartArgs } from './args.js';
import { instancesOf } from './plan.js';

const payment = SERVICES.find((service) => service.name === 'payment-service') ?? SERVICES[0];

describe('npm start -- --scale', () => {
  it('runs each service once unless told otherwise', () => {
    expect(parseStartArgs([])).toEqual({ help: false, scale: new Map() });
  });

  it('takes several services, each with its own count', () => {
    const { scale } = parseStartArgs([
      '--scale',
      'payment-service=3',
      '--scale=inventory-service=2',
    ]);
    expect([...scale]).toEqual([
      ['payment-service', 3],
      ['inventory-service', 2],
    ]);
  });

  it('puts instance n on the port + 10(n−1), named and labelled as the lab does', () => {
    const { scale } = parseStartArgs(['--scale', 'payment-service=3']);
    expect(instancesOf(payment, scale, {})).toEqual([
      { name: 'payment-service', label: 'payment', port: 3003 },
      { name: 'payment-service#2', label: 'payment#2', port: 3013 },
      { name: 'payment-service#3', label: 'payment#3', port: 3023 },
    ]);
    expect(
      instancesOf(payment, scale, { PORT_PAYMENT_SERVICE: '4003' }).map((i) => i.port),
    ).toEqual([4003, 4013, 4023]);
  });

  it('refuses what it cannot run, saying what to write instead', () => {
    expect(() => parseStartArgs(['--scale', 'paymnt=2'])).toThrow(
      /no service "paymnt"; use one of api-gateway, order-saga, payment-service/,
    );
    expect(() => parseStartArgs(['--scale', 'payment-service=0'])).toThrow(/from 1 to 3/);
    expect(() => parseStartArgs(['--scale', 'payment-service=4'])).toThrow(
      /from 1 to 3 \(orders.v1 has 3 partitions/,
    );
    expect(() => parseStartArgs(['--scale', 'payment-service=two'])).toThrow(/whole number/);
    expect(() => parseStartArgs(['--scale', 'payment-service'])).toThrow(
      /expected <service>=<n>, e.g. npm start -- --scale payment-service=3/,
    );
    expect(() => parseStartArgs(['--scale', 'api-gateway=2'])).toThrow(
      /api-gateway joins no consumer group.*--scale payment-service=3/,
    );
    expect(() => parseStartArgs(['--scale', 'order-saga=2', '--scale', 'order-saga=3'])).toThrow(
      /given twice/,
    );
    expect(() => parseStartArgs(['--scal', 'order-saga=2'], 'dev')).toThrow(
      /see `npm run dev -- --help`/,
    );
  });

  it('documents --scale in --help, for both commands', () => {
    expect(parseStartArgs(['--help']).help).toBe(true);
    expect(helpText('start')).toMatch(/npm start -- --scale payment-service=3/);
    expect(helpText('dev')).toMatch(/npm run dev -- --scale payment-service=3/);
  });
});
