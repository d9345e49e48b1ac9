import {
  AuthenticationError,
  findErrorBy,
  GenericError,
  NetworkError,
  TimeoutError,
} from '@platformatic/kafka';

export interface KafkadogErrorOptions {
  cause?: unknown;
  /** Whether trying the same thing again later can succeed. Defaults to false. */
  retriable?: boolean;
}

/** Every error this library throws: a stable code to branch on, a message for people, a cause. */
export class KafkadogError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: KafkadogErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KafkadogError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/**
 * The codes a transactional producer fails with (see `transactions/`), a closed set to compare
 * against: `error.code === 'PRODUCER_FENCED'` is checked by the compiler via `isTransactionError`.
 */
export const transactionErrorCodes = [
  // Another producer with the same transactional id took over, or the broker expired the open
  // transaction: this producer is closed. Stop, or create a new one if this instance still owns
  // the work (it fences the other one in turn).
  'PRODUCER_FENCED',
  // The transaction failed and was aborted: none of its records or offsets count.
  'TRANSACTION_ABORTED',
  // The consumer group moved to a new generation since the batch was fetched: the offsets were
  // refused and the transaction aborted. Drop the batch; its partitions' new owner reads it again.
  'TRANSACTION_GROUP_STALE',
  // The transaction could be neither committed nor aborted: the producer is closed. A new one with
  // the same transactional id aborts what is left of it.
  'TRANSACTION_FAILED',
  // Misuse: a second open transaction, or a send after commit.
  'TRANSACTION_STATE',
  'PRODUCER_CLOSED',
] as const;

export type TransactionErrorCode = (typeof transactionErrorCodes)[number];

export function isTransactionError(
  error: unknown,
  code?: TransactionErrorCode,
): error is KafkadogError & { code: TransactionErrorCode } {
  return (
    error instanceof KafkadogError &&
    (transactionErrorCodes as readonly string[]).includes(error.code) &&
    (code === undefined || error.code === code)
  );
}

/**
 * The codes a group consumer's batch fails with when its membership is in doubt, a closed set
 * like the transaction codes (see `isGroupError`).
 */
export const groupErrorCodes = [
  // The group moved to a new generation since the batch's stream was opened: the batch is not
  // written, and the stream is opened again from the group's committed offsets.
  'GROUP_REBALANCED',
  // The group coordinator has not answered this member for most of a session: it may have been
  // dropped (a frozen process, a lost connection). The batch waits until it answers again.
  'MEMBERSHIP_UNCONFIRMED',
] as const;

export type GroupErrorCode = (typeof groupErrorCodes)[number];

export function isGroupError(
  error: unknown,
  code?: GroupErrorCode,
): error is KafkadogError & { code: GroupErrorCode } {
  return (
    error instanceof KafkadogError &&
    (groupErrorCodes as readonly string[]).includes(error.code) &&
    (code === undefined || error.code === code)
  );
}

// Node's codes for a peer that is unreachable for now: the same call can work a moment later.
const transientSystemErrors = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Whether an error is worth another attempt. A KafkadogError says so itself; the Kafka client's
 * errors carry `canRetry` (a timeout is transient too, although the client marks it otherwise);
 * Node's network errors are transient. Anything else, such as a bug or invalid input, is not:
 * retrying it would fail the same way, only later.
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof KafkadogError) return error.retriable;
  if (!(error instanceof Error)) return false;
  if (isAuthenticationError(error)) return false;
  if (GenericError.isGenericError(error)) {
    if (error instanceof TimeoutError) return true;
    return NetworkError.isRetryable(error) || findErrorBy(error, 'canRetry', true) !== null;
  }
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && transientSystemErrors.has(code);
}

/**
 * Whether the cluster refused this client's SASL login (wrong user or password, a mechanism it
 * does not offer). The client wraps it in a retriable network error, but the same credentials
 * fail the same way every time.
 */
export function isAuthenticationError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 8) return false;
  if ((error as { code?: unknown }).code === AuthenticationError.code) return true;
  // The client nests it: MultipleErrors (one per broker) → NetworkError → (cause) the login.
  const nested = [...((error as { errors?: unknown[] }).errors ?? []), error.cause];
  return nested.some((inner) => isAuthenticationError(inner, depth + 1));
}

/** A one-line description of any thrown value, for logs and record headers. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = typeof code === 'string' ? `${code}: ${error.message}` : error.message;
    return text.replace(/\s+/g, ' ').trim();
  }
  return String(error);
}
