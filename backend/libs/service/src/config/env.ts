import { FLOW_RETENTION_MS, FLOW_SEGMENT_MS } from '@kafkadog/contracts';
import { kafkaSecurityEnv, kafkaSecurityFrom, type KafkaSecurity } from '@kafkadog/kafka';
import { z } from 'zod';

/** A configuration problem that names the variable to fix. Printed as one line at boot. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Comma-separated `host:port` list, e.g. `127.0.0.1:9092,127.0.0.1:9094`. */
export const BrokerList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')).min(1));

export const Port = z.coerce.number().int().min(1).max(65_535);

/** How the whole stack processes records; see README "Processing modes". */
export const ProcessingMode = z.enum(['at-least-once', 'exactly-once']);
export type ProcessingMode = z.infer<typeof ProcessingMode>;

/** The variables every service reads. Services extend this with their own. */
export const baseEnv = z.object({
  KAFKA_BROKERS: BrokerList.default(['127.0.0.1:9092']),
  HOST: z.string().default('127.0.0.1'),
  KAFKADOG_PROCESSING: ProcessingMode.default('at-least-once'),
  /**
   * How long a service keeps an order's state after its last change before deleting it (a
   * tombstone in its state topic). At least the order topics' retention: a replay must find the
   * state of every order whose events it can still read, or it would decide them again.
   */
  ORDER_STATE_GRACE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(FLOW_RETENTION_MS + 2 * FLOW_SEGMENT_MS),
  // SASL and TLS for a managed cluster; every Kafka client of the process uses them.
  ...kafkaSecurityEnv,
});

/** Variables whose value never appears in an error or a log line. */
const SECRET = /PASSWORD|SECRET|TOKEN/;

/**
 * Parses the environment once, at boot. A bad value stops the service with a message naming
 * the variable, instead of a failure deep inside a request later.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    const value = SECRET.test(name) ? undefined : env[name];
    return `${name}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  });
  throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
}

/**
 * The SASL/TLS settings of a parsed environment, after the rules between the variables (a
 * mechanism needs a username and a password; a CA file needs KAFKA_TLS=true).
 */
export function kafkaSecurityOf(env: z.infer<typeof baseEnv>): KafkaSecurity {
  try {
    return kafkaSecurityFrom(env);
  } catch (error) {
    throw new ConfigError(`invalid environment: ${(error as Error).message}`);
  }
}
