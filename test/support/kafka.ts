import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** The bootstrap servers of the test cluster (see test/global-setup.ts). */
export function testBrokers(): string[] {
  return inject('kafkaBrokers');
}

/** A name no other test uses, for a topic or a consumer group. */
export function uniqueName(prefix: string): string {
  return `test.${prefix}.${randomUUID().slice(0, 8)}`;
}
