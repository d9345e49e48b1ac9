import { Injectable } from '@nestjs/common';

/** `paused`: stopped on purpose (a consumer group paused from the explorer), healthy. */
export type CheckStatus = 'up' | 'down' | 'starting' | 'paused';

/** Whether a check lets /health answer 200. */
export function isHealthy(status: CheckStatus): boolean {
  return status === 'up' || status === 'paused';
}

/** What a service needs besides Kafka to be healthy, e.g. state rebuilt from its topics. */
@Injectable()
export class HealthRegistry {
  readonly #checks = new Map<string, () => CheckStatus>();

  register(name: string, status: () => CheckStatus): void {
    this.#checks.set(name, status);
  }

  report(): Record<string, CheckStatus> {
    return Object.fromEntries([...this.#checks].map(([name, status]) => [name, status()]));
  }
}
