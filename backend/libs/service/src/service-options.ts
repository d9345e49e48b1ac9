import type { Logger } from '@kafkadog/kafka';

export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');

export interface ServiceOptions {
  /** The service's name: its client id, consumer group prefix and log prefix. */
  readonly name: string;
  readonly brokers: string[];
  readonly kafkaLogger: Logger;
}
