import { KafkaClients } from '@kafkadog/service';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICES_CONFIG, type ServicesConfig } from '../http/services.config.js';
import { SystemHealthService } from '../system/system-health.service.js';
import { countRecords } from '@kafkadog/kafka';
import type {
  CounterFact,
  GroupFact,
  HealthFact,
  LogEndFact,
  OffsetsFact,
  RecordCountFact,
} from './facts.js';
import { counterValue } from './prometheus.js';

const HTTP_TIMEOUT_MS = 2_000;

/** Reads what Kafka and the services answer now, as facts: never what a run meant to do. */
@Injectable()
export class Probes {
  constructor(
    private readonly kafka: KafkaClients,
    private readonly system: SystemHealthService,
    @Inject(SERVICES_CONFIG) private readonly config: ServicesConfig,
  ) {}

  /** Every group's committed offsets on `topic` (the groups that have any there). */
  async groupOffsets(topic: string): Promise<OffsetsFact[]> {
    const { admin } = this.kafka;
    const groups = await admin.listGroups();
    const facts = await Promise.all(
      groups.map(async (group) => {
        const offsets = await admin.groupOffsets(group.id);
        const at = Date.now();
        return offsets
          .filter((o) => o.topic === topic)
          .map((o): OffsetsFact => ({
            kind: 'offsets',
            at,
            group: group.id,
            topic,
            partition: o.partition,
            committed: o.committed,
            logEnd: o.logEnd,
          }));
      }),
    );
    return facts.flat();
  }

  /** The records between offsets `from` and `to` (excluded) of partitions of `topic`. */
  async recordCount(
    topic: string,
    ranges: readonly { partition: number; from: string; to: string }[],
  ): Promise<RecordCountFact> {
    const records = await countRecords({
      brokers: this.kafka.brokers,
      ranges: ranges.map(({ partition, from, to }) => ({
        topic,
        partition,
        from: BigInt(from),
        to: BigInt(to),
      })),
      clientId: 'api-gateway.scenario-count',
      logger: this.kafka.logger,
    });
    return { kind: 'recordCount', at: Date.now(), topic, records };
  }

  /** The log end of every partition of `topic`. */
  async logEnd(topic: string): Promise<LogEndFact> {
    const watermarks = await this.kafka.admin.watermarks([topic]);
    return {
      kind: 'logEnd',
      at: Date.now(),
      topic,
      ends: watermarks
        .map((w) => ({ partition: w.partition, end: w.high.toString() }))
        .sort((a, b) => a.partition - b.partition),
    };
  }

  async group(groupId: string): Promise<GroupFact> {
    const described = await this.kafka.admin.describeGroup(groupId);
    return {
      kind: 'group',
      at: Date.now(),
      group: groupId,
      state: described.state,
      members: described.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        partitions: m.assignments.flatMap((a) => a.partitions.map((p) => `${a.topic}[${p}]`)),
      })),
    };
  }

  /** Each service's GET /health, as GET /system/health reports it. */
  async health(): Promise<HealthFact[]> {
    const { services } = await this.system.report('');
    const at = Date.now();
    return services
      .filter((s) => s.name !== 'api-gateway')
      .map((s) => ({
        kind: 'health',
        at,
        service: s.name,
        up: s.status === 'up',
        detail: s.detail ?? s.status,
      }));
  }

  /** A counter of a service's GET /metrics. */
  async counter(
    service: string,
    name: string,
    labels: Readonly<Record<string, string>>,
  ): Promise<CounterFact> {
    const url = this.config.urls[service];
    if (!url) throw new Error(`no URL for ${service} in SERVICE_URLS`);
    const response = await fetch(`${url}/metrics`, {
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`${url}/metrics answered ${response.status}`);
    const value = counterValue(await response.text(), name, labels);
    return { kind: 'counter', at: Date.now(), service, name, labels, value };
  }

  kafkaUp(): boolean {
    return this.kafka.connected;
  }
}
