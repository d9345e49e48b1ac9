import { describe, expect, it } from 'vitest';
import { SERVICES, portVariable, servicePort } from './services.js';

describe('service ports', () => {
  it('names the variable that moves a service', () => {
    expect(portVariable('payment-service')).toBe('PORT_PAYMENT_SERVICE');
    expect(portVariable('api-gateway')).toBe('PORT_API_GATEWAY');
  });

  it("uses DESIGN.md's port unless PORT_<SERVICE> says otherwise", () => {
    expect(SERVICES.map((service) => servicePort(service.name, {}))).toEqual([
      3001, 3002, 3003, 3004, 3005, 3006,
    ]);
    expect(servicePort('payment-service', { PORT_PAYMENT_SERVICE: '4003' })).toBe(4003);
    expect(servicePort('payment-service', { PORT_PAYMENT_SERVICE: '' })).toBe(3003);
  });

  it('refuses a value that is not a port, naming the variable', () => {
    expect(() => servicePort('order-saga', { PORT_ORDER_SAGA: 'abc' })).toThrow(
      'PORT_ORDER_SAGA=abc is not a port number (1 to 65535)',
    );
    expect(() => servicePort('order-saga', { PORT_ORDER_SAGA: '70000' })).toThrow(
      /PORT_ORDER_SAGA/,
    );
  });
});
