import { isIP } from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { SASLOptions } from '@platformatic/kafka';
import { parseBrokers, type Brokers } from '../brokers.js';
import { processKafkaSecurity, type KafkaSecurity } from './security.js';

/** The part of every Kafka client's options that says where the cluster is and how to reach it. */
export interface ClientConnectionOptions {
  bootstrapBrokers: string[];
  sasl?: SASLOptions;
  tls?: TlsConnectionOptions;
  tlsServerName?: boolean;
}

function hostOf(broker: string): string {
  return broker.slice(0, broker.lastIndexOf(':')).replace(/^\[|\]$/g, '');
}

/**
 * Options for `new Producer/Consumer/Admin(...)`: the bootstrap brokers, and SASL and TLS as
 * this process is configured (KAFKA_SASL_*, KAFKA_TLS*), unless `security` says otherwise.
 * Every client of the project is built with it, so none of them connects another way.
 */
export function clientConnection(
  brokers: Brokers,
  security: KafkaSecurity = processKafkaSecurity(),
): ClientConnectionOptions {
  const bootstrapBrokers = parseBrokers(brokers);
  const options: ClientConnectionOptions = { bootstrapBrokers };
  if (security.sasl) {
    const { mechanism, username, password } = security.sasl;
    options.sasl = { mechanism, username, password };
  }
  if (security.tls) {
    options.tls = security.tls.ca ? { ca: security.tls.ca.pem } : {};
    // SNI: managed clusters (Confluent Cloud) route and pick certificates by server name. An IP
    // address is no server name (RFC 6066), so it is sent only for named brokers.
    if (bootstrapBrokers.every((broker) => isIP(hostOf(broker)) === 0)) {
      options.tlsServerName = true;
    }
  }
  return options;
}
