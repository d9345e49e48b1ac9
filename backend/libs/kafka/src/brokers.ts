import { KafkadogError } from './errors.js';

/** Bootstrap servers as given: `host:port,host:port` (KAFKA_BROKERS) or a list. */
export type Brokers = string | readonly string[];

export function parseBrokers(brokers: Brokers): string[] {
  const list = (typeof brokers === 'string' ? brokers.split(',') : [...brokers])
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  const invalid = list.filter((broker) => !/^[^\s:]+:\d{1,5}$/.test(broker));
  if (list.length === 0 || invalid.length > 0) {
    throw new KafkadogError(
      'INVALID_BROKERS',
      `expected host:port[,host:port…], got ${JSON.stringify(brokers)}`,
    );
  }
  return list;
}
