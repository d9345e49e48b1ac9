import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KafkadogError } from '../errors.js';

/** The SASL mechanisms managed clusters offer (Confluent Cloud: PLAIN; MSK and Aiven: SCRAM). */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface SaslSettings {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

export interface TlsSettings {
  /** KAFKA_TLS_CA_FILE and its PEM text; without it Node's own CA list verifies the broker. */
  readonly ca?: { readonly file: string; readonly pem: string };
}

/** How a process authenticates to its cluster and encrypts the connection; empty: plaintext. */
export interface KafkaSecurity {
  readonly sasl?: SaslSettings;
  readonly tls?: TlsSettings;
}

/** An unset variable and an empty one (`KAFKA_TLS=` in a compose file) mean the same. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

function readCaFile(file: string, ctx: z.RefinementCtx): { file: string; pem: string } {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    ctx.addIssue({ code: 'custom', message: `cannot read ${file} (${code})` });
    return z.NEVER;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    ctx.addIssue({ code: 'custom', message: `${file} holds no PEM certificate` });
    return z.NEVER;
  }
  return { file, pem };
}

/**
 * The variables that connect every service and script to a secured cluster, one schema per
 * variable: spread into a service's env schema, or read with `readKafkaSecurity`.
 */
export const kafkaSecurityEnv = {
  KAFKA_SASL_MECHANISM: z.preprocess(
    unsetIfEmpty,
    z.enum(SASL_MECHANISMS, { error: `expected one of ${SASL_MECHANISMS.join(', ')}` }).optional(),
  ),
  KAFKA_SASL_USERNAME: z.preprocess(unsetIfEmpty, z.string().optional()),
  KAFKA_SASL_PASSWORD: z.preprocess(unsetIfEmpty, z.string().optional()),
  KAFKA_TLS: z.preprocess(
    unsetIfEmpty,
    z
      .enum(['true', 'false'], { error: 'expected true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  ),
  KAFKA_TLS_CA_FILE: z.preprocess(unsetIfEmpty, z.string().transform(readCaFile).optional()),
};

export type KafkaSecurityEnv = z.infer<z.ZodObject<typeof kafkaSecurityEnv>>;

function invalid(message: string): KafkadogError {
  return new KafkadogError('INVALID_CONFIG', message);
}

/** The rules between the variables, after each one parsed on its own. */
export function kafkaSecurityFrom(env: KafkaSecurityEnv): KafkaSecurity {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username } = env;
  const password = env.KAFKA_SASL_PASSWORD;
  if (mechanism !== undefined) {
    const missing = [
      username === undefined ? 'KAFKA_SASL_USERNAME' : undefined,
      password === undefined ? 'KAFKA_SASL_PASSWORD' : undefined,
    ].filter((name) => name !== undefined);
    if (missing.length > 0) {
      throw invalid(
        `${missing.join(', ')}: not set, and KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
      );
    }
  } else if (username !== undefined || password !== undefined) {
    const given = username !== undefined ? 'KAFKA_SASL_USERNAME' : 'KAFKA_SASL_PASSWORD';
    throw invalid(
      `KAFKA_SASL_MECHANISM: not set, but ${given} is; set it to one of ${SASL_MECHANISMS.join(', ')}`,
    );
  }
  if (env.KAFKA_TLS_CA_FILE !== undefined && !env.KAFKA_TLS) {
    throw invalid('KAFKA_TLS: not true, but KAFKA_TLS_CA_FILE is set; set KAFKA_TLS=true');
  }
  return {
    ...(mechanism !== undefined && username !== undefined && password !== undefined
      ? { sasl: { mechanism, username, password } }
      : {}),
    ...(env.KAFKA_TLS
      ? { tls: env.KAFKA_TLS_CA_FILE === undefined ? {} : { ca: env.KAFKA_TLS_CA_FILE } }
      : {}),
  };
}

const securitySchema = z.object(kafkaSecurityEnv);

/**
 * Reads KAFKA_SASL_* and KAFKA_TLS* from an environment. A bad setting throws one error that
 * names the variable; a value is never echoed, since one of them is a password.
 */
export function readKafkaSecurity(
  env: Readonly<Record<string, string | undefined>> = process.env,
): KafkaSecurity {
  const result = securitySchema.safeParse(env);
  if (!result.success) {
    throw invalid(
      result.error.issues
        .map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
        .join('; '),
    );
  }
  return kafkaSecurityFrom(result.data);
}

/** Every variable of these settings (e.g. to clear them for a cluster that wants none). */
export const SECURITY_VARIABLES = [
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_TLS',
  'KAFKA_TLS_CA_FILE',
] as const;
let cached: { key: string; security: KafkaSecurity } | undefined;

/** This process's settings (process.env), read again only when one of the variables changed. */
export function processKafkaSecurity(): KafkaSecurity {
  const key = JSON.stringify(SECURITY_VARIABLES.map((name) => process.env[name]));
  if (cached?.key !== key) cached = { key, security: readKafkaSecurity(process.env) };
  return cached.security;
}

/** For logs: how the process connects, without the password. */
export function describeSecurity(security: KafkaSecurity): string {
  const tls = security.tls
    ? `TLS${security.tls.ca ? ` (CA ${security.tls.ca.file})` : ''}`
    : undefined;
  const sasl = security.sasl
    ? `SASL ${security.sasl.mechanism} as "${security.sasl.username}"`
    : undefined;
  if (!sasl && !tls) return 'plaintext';
  return [sasl, tls].filter(Boolean).join(' over ');
}

/** For logs: where the cluster is and, when it is secured, how this process logs in. */
export function describeConnection(where: string, security: KafkaSecurity): string {
  return security.sasl || security.tls ? `${where} (${describeSecurity(security)})` : where;
}

/** The error of a login the cluster refused: names the variables to check, never the password. */
export function loginRefused(
  where: string,
  security: KafkaSecurity,
  cause: unknown,
): KafkadogError {
  const login = security.sasl
    ? `the SASL ${security.sasl.mechanism} login of user "${security.sasl.username}"`
    : 'the connection';
  return new KafkadogError(
    'KAFKA_AUTHENTICATION_FAILED',
    `Kafka at ${where} refused ${login}: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (and KAFKA_SASL_MECHANISM, which must be one the cluster offers)`,
    { cause },
  );
}
