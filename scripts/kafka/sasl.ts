import { randomBytes } from 'node:crypto';
import type { KafkaSecurity } from './client.js';
import type { Env } from './config.js';
import { KafkadogError } from './errors.js';

/**
 * SASL on the local broker (`kafka:start -- --sasl`): clients log in with SCRAM, as on MSK or
 * Aiven, over plaintext (SASL_PLAINTEXT). The controller listener stays PLAINTEXT.
 */
export const LOCAL_SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
/** What the printed settings and `npm start` use; the broker accepts either. */
export const LOCAL_SCRAM_MECHANISM = 'SCRAM-SHA-256';
export const DEFAULT_SASL_USERNAME = 'kafkadog';
/** The client listener's name when it requires a login. */
export const SASL_LISTENER = 'SASL_PLAINTEXT';

/** The SCRAM user of a local cluster, kept in its cluster.json (created when formatted). */
export interface LocalSasl {
  readonly username: string;
  readonly password: string;
}

// Both end up inside Kafka's own syntaxes (--add-scram '[name=…,password=…]', a JAAS line in
// server.properties), where quotes, commas, brackets and backslashes would need escaping.
const SAFE_USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;
const SAFE_PASSWORD = /^[A-Za-z0-9._~!@#$%^&*+-]{8,128}$/;

/**
 * The user to create: KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD when set, else `kafkadog` and a
 * random password.
 */
export function newLocalSasl(env: Env = process.env): LocalSasl {
  const username = env.KAFKA_SASL_USERNAME || DEFAULT_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD || randomBytes(18).toString('base64url');
  if (!SAFE_USERNAME.test(username)) {
    throw new KafkadogError(
      'BAD_CONFIG',
      'KAFKA_SASL_USERNAME for the local broker may hold only letters, digits and . _ @ - (1 to 64): change it, or unset it to use "kafkadog".',
    );
  }
  if (!SAFE_PASSWORD.test(password)) {
    throw new KafkadogError(
      'BAD_CONFIG',
      'KAFKA_SASL_PASSWORD for the local broker must be 8 to 128 letters, digits or . _ ~ ! @ # $ % ^ & * + -: change it, or unset it to get a random one.',
    );
  }
  return { username, password };
}

/** `kafka-storage format` arguments that create the user in the cluster's first metadata. */
export function scramFormatArgs(sasl: LocalSasl): string[] {
  return LOCAL_SCRAM_MECHANISMS.flatMap((mechanism) => [
    '--add-scram',
    `${mechanism}=[name=${sasl.username},password=${sasl.password}]`,
  ]);
}

/**
 * The broker settings for a SASL client listener. Brokers replicate over it too (as the same
 * user), which keeps one client port per node; the controllers keep their PLAINTEXT listener.
 */
export function saslBrokerProperties(sasl: LocalSasl): [string, string][] {
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${sasl.username}" password="${sasl.password}";`;
  const listener = SASL_LISTENER.toLowerCase();
  return [
    ['sasl.enabled.mechanisms', LOCAL_SCRAM_MECHANISMS.join(',')],
    ['sasl.mechanism.inter.broker.protocol', LOCAL_SCRAM_MECHANISM],
    ...LOCAL_SCRAM_MECHANISMS.map((mechanism): [string, string] => [
      `listener.name.${listener}.${mechanism.toLowerCase()}.sasl.jaas.config`,
      jaas,
    ]),
  ];
}

/** How this project's clients log in to the local cluster. */
export function localSecurity(sasl: LocalSasl | undefined): KafkaSecurity {
  return sasl
    ? {
        sasl: {
          mechanism: LOCAL_SCRAM_MECHANISM,
          username: sasl.username,
          password: sasl.password,
        },
      }
    : {};
}

/** The variables a service or script needs to reach the local cluster. */
export function connectionEnv(
  brokers: readonly string[],
  sasl: LocalSasl | undefined,
): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers.join(','),
    ...(sasl
      ? {
          KAFKA_SASL_MECHANISM: LOCAL_SCRAM_MECHANISM,
          KAFKA_SASL_USERNAME: sasl.username,
          KAFKA_SASL_PASSWORD: sasl.password,
        }
      : {}),
  };
}
