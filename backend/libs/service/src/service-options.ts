import type { Logger } from '@kafkadog/kafka';
import type { ProcessingMode } from './config/env.js';

export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');

export interface ServiceOptions {
  /** The service's name: its client id, consumer group prefix and log prefix. */
  readonly name: string;
  readonly brokers: string[];
  readonly kafkaLogger: Logger;
  readonly processing: ProcessingMode;
  /** ORDER_STATE_GRACE_MS: how long an order's state outlives its last change. */
  readonly stateGraceMs: number;
  /**
   * Names this instance among its service's instances, stably across restarts (its host and
   * port, see instanceName): a restarted instance takes over its predecessor's transactional ids,
   * which fences it.
   */
  readonly instance: string;
}

/**
 * An instance's name: its host and port. Instances on one machine differ by port (npm start
 * --scale); replicas of a container image share the port and differ by host name (docker compose
 * --scale gives each container its own). A restart keeps both, and so takes over (and fences)
 * its predecessor's transactional ids.
 */
export function instanceName(host: string, port: number | undefined): string {
  return `${host}-${port ?? 'default'}`;
}
