export type KafkadogErrorCode =
  | 'BAD_ARGS'
  | 'BAD_CONFIG'
  | 'JAVA_MISSING'
  | 'JAVA_TOO_OLD'
  | 'MAVEN_MISSING'
  | 'MAVEN_FAILED'
  | 'JARS_INCONSISTENT'
  | 'PORT_IN_USE'
  | 'CLUSTER_MISMATCH'
  | 'FORMAT_FAILED'
  | 'BROKER_EXITED'
  | 'READY_TIMEOUT'
  | 'NOT_OURS'
  | 'UNSAFE_WIPE'
  | 'EXTERNAL_CLUSTER'
  | 'KAFKA_NOT_RUNNING'
  | 'GATEWAY_UNREACHABLE'
  | 'GATEWAY_REFUSED'
  | 'WAIT_TIMEOUT';

export interface KafkadogErrorOptions {
  cause?: unknown;
  /** Extra lines shown under the one-line message (e.g. the tail of a broker log). */
  details?: string;
}

/**
 * A provisioning failure the user can fix. `message` is one line that names the fix;
 * the CLI prints it without a stack trace.
 */
export class KafkadogError extends Error {
  override readonly name = 'KafkadogError';
  readonly code: KafkadogErrorCode;
  readonly details: string | undefined;

  constructor(code: KafkadogErrorCode, message: string, options: KafkadogErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

export function isKafkadogError(error: unknown): error is KafkadogError {
  return error instanceof KafkadogError;
}
