/** Record header names. Values are UTF-8 strings. */
export const Headers = {
  eventType: 'event-type',
  eventVersion: 'event-version',
  eventId: 'event-id',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  /**
   * Set on an event caused by another: when (epoch ms) the consumer took the cause. The cause's
   * record timestamp to this is the time it waited in its topic; this to the event's own record
   * timestamp is the time it took to process.
   */
  handledAt: 'handled-at',
  // Added by the retry path.
  retryAttempt: 'retry-attempt',
  retryNotBefore: 'retry-not-before',
  /** How many attempts the retry policy allows in all (the first delivery included). */
  retryMaxAttempts: 'retry-max-attempts',
  originalTopic: 'original-topic',
  originalPartition: 'original-partition',
  originalOffset: 'original-offset',
  originalKey: 'original-key',
  error: 'error',
  /** The consumer group a retry record belongs to: only that group's retry worker takes it. */
  retryGroup: 'retry-group',
  // Added by the dead-letter path.
  dlqReason: 'dlq-reason',
  dlqError: 'dlq-error',
  dlqGroup: 'dlq-consumer-group',
  dlqAt: 'dlq-at',
} as const;

export type HeaderName = (typeof Headers)[keyof typeof Headers];

/** Why a record was dead-lettered. */
export const DlqReasons = {
  invalidJson: 'invalid_json',
  invalidSchema: 'invalid_schema',
  unknownEventType: 'unknown_event_type',
  wrongTopic: 'wrong_topic',
  retriesExhausted: 'retries_exhausted',
  nonRetriable: 'non_retriable',
} as const;
export type DlqReason = (typeof DlqReasons)[keyof typeof DlqReasons];
