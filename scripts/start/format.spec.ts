import { describe, expect, it } from 'vitest';
import { compactLogLine } from './format.js';

describe('compactLogLine', () => {
  it("reduces Nest's header to the level", () => {
    expect(
      compactLogLine(
        '[payment-service] 4711  - 06/01/2025, 10:00:00 AM     LOG [PaymentsService] authorized order=1',
      ),
    ).toBe('LOG   [PaymentsService] authorized order=1');
    expect(
      compactLogLine(
        '[order-saga] 12  - 6/1/2025, 9:00:00 PM    WARN [Kafka] waiting for Kafka at 127.0.0.1:9092',
      ),
    ).toBe('WARN  [Kafka] waiting for Kafka at 127.0.0.1:9092');
  });

  it('colours warnings and errors when asked', () => {
    expect(compactLogLine('[x] 1  - 6/1/2025, 9:00:00 PM   ERROR [A] boom', true)).toBe(
      '\u001b[31mERROR\u001b[39m [A] boom',
    );
  });

  it('leaves other lines alone', () => {
    expect(compactLogLine('    at Object.<anonymous> (main.js:1:1)')).toBe(
      '    at Object.<anonymous> (main.js:1:1)',
    );
    expect(compactLogLine('')).toBe('');
  });
});
