import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { brokerFailureVerdict } from './broker-failure.js';

const SERVICES = ['order-saga', 'payment-service'];

function outcome(given: Given, id: string, label: string): Given {
  return given.placed(id, label).event(topics.outcomes.name, 'OrderCompleted', id);
}

function health(given: Given, up: boolean, detail = up ? '200' : 'kafka: down'): Given {
  for (const service of SERVICES) {
    given.facts.push({ kind: 'health', at: given.now, service, up, detail });
  }
  return given;
}

function logEnd(given: Given, ...ends: string[]): Given {
  given.facts.push({
    kind: 'logEnd',
    at: given.now,
    topic: topics.orders.name,
    ends: ends.map((end, partition) => ({ partition, end })),
  });
  return given;
}

function refused(given: Given, status = 503, error = 'kafka_unavailable'): Given {
  given.facts.push({
    kind: 'refused',
    at: given.now,
    label: 'during',
    status,
    error,
    message: 'the order was not written: Kafka does not answer',
  });
  return given;
}

/** An order before, Kafka down (seen by all), an order refused, Kafka back, log end kept. */
function outageRiddenOut(options: { endAfter?: string; refusal?: [number, string] } = {}): Given {
  const given = logEnd(outcome(new Given().kafka(true), 'a', 'before'), '4', '2', '3');
  health(given.after(1_000).kafka(false), false);
  refused(given, ...(options.refusal ?? [503, 'kafka_unavailable']));
  health(given.after(12_000).kafka(true), true);
  logEnd(given.after(500), '4', options.endAfter ?? '2', '3');
  return outcome(given, 'b', 'after');
}

describe('broker failure verdict', () => {
  it('passes: seen down by all, an order refused, nothing written, every order one outcome', () => {
    const judged = brokerFailureVerdict(outageRiddenOut().facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.summary).toBe(
      'Kafka away for about 12.0 s; seen down by the gateway and 2 services; 1 order refused with 503, nothing written to orders.v1; orders before and after judged by their outcomes',
    );
    expect(judged.checks.find((c) => c.name.startsWith('nothing written'))?.detail).toBe(
      'log end 4, 2, 3 before and after',
    );
  });

  it('fails while Kafka never went down', () => {
    const given = outcome(new Given().kafka(true), 'a', 'before').kafka(true);
    expect(failing(brokerFailureVerdict(health(given, true).facts))).toEqual([
      'Kafka seen down by the gateway',
      'every service reported Kafka down at /health',
      'an order placed during the outage was refused: 503 kafka_unavailable',
      'nothing written to orders.v1 during the outage',
      'Kafka seen back, every service healthy again',
      'orders placed after it each have exactly one outcome',
    ]);
  });

  it('fails when a service never said Kafka was down', () => {
    const given = outageRiddenOut();
    const judged = brokerFailureVerdict(
      given.facts.map((f) =>
        f.kind === 'health' && f.service === 'order-saga' && !f.up
          ? { ...f, detail: 'no answer at http://127.0.0.1:3002' }
          : f,
      ),
    );
    expect(failing(judged)).toEqual([
      'every service reported Kafka down at /health',
      'Kafka seen back, every service healthy again',
    ]);
  });

  it('fails when the order during the outage was written, or refused for another reason', () => {
    expect(failing(brokerFailureVerdict(outageRiddenOut({ endAfter: '3' }).facts))).toEqual([
      'nothing written to orders.v1 during the outage',
    ]);
    const other = outageRiddenOut({ refusal: [400, 'invalid_request'] });
    expect(failing(brokerFailureVerdict(other.facts))).toEqual([
      'an order placed during the outage was refused: 503 kafka_unavailable',
    ]);
  });

  it('fails when an order placed before the outage was lost or got two outcomes', () => {
    const lost = outageRiddenOut();
    const judged = brokerFailureVerdict(
      lost.facts.filter((f) => f.kind !== 'record' || f.orderId !== 'a'),
    );
    expect(failing(judged)).toEqual([
      'orders placed before the outage each have exactly one outcome',
    ]);
    const twice = outageRiddenOut().event(topics.outcomes.name, 'OrderCancelled', 'a');
    expect(failing(brokerFailureVerdict(twice.facts))).toEqual([
      'orders placed before the outage each have exactly one outcome',
    ]);
  });
});
