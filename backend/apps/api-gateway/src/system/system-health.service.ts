import { KafkaClients } from '@kafkadog/service';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICES_CONFIG, type ServicesConfig } from '../http/services.config.js';
import { readHealth, type ServiceHealth } from './service-health.js';

export interface SystemHealth {
  readonly kafka: { readonly status: 'up' | 'down'; readonly brokers: readonly string[] };
  readonly services: readonly ServiceHealth[];
}

/** A service that has not answered by then is reported down; the overview polls again. */
const ASK_TIMEOUT_MS = 1_500;

/** The health of every service of the stack and of Kafka, for the dashboard's overview. */
@Injectable()
export class SystemHealthService {
  constructor(
    private readonly kafka: KafkaClients,
    @Inject(SERVICES_CONFIG) private readonly config: ServicesConfig,
  ) {}

  async report(selfUrl: string): Promise<SystemHealth> {
    const others = await Promise.all(
      Object.entries(this.config.urls).map(([name, url]) => this.#ask(name, url)),
    );
    const kafka = this.kafka.connected ? 'up' : 'down';
    const self: ServiceHealth =
      kafka === 'up'
        ? { name: 'api-gateway', url: selfUrl, status: 'up' }
        : { name: 'api-gateway', url: selfUrl, status: 'down', detail: 'kafka: down' };
    return { kafka: { status: kafka, brokers: this.kafka.brokers }, services: [self, ...others] };
  }

  async #ask(name: string, url: string): Promise<ServiceHealth> {
    try {
      const response = await fetch(`${url}/health`, {
        signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
      });
      const body = (await response.json().catch(() => undefined)) as
        Parameters<typeof readHealth>[3] | undefined;
      return readHealth(name, url, response.status, body);
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? 'no answer' : 'not reachable';
      return { name, url, status: 'down', detail: `${reason} at ${url}` };
    }
  }
}
