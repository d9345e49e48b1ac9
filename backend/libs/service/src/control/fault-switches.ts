import { parseEvent, topics, type DataOf } from '@kafkadog/contracts';
import { tailTopics, type TopicTail } from '@kafkadog/kafka';
import type { KafkaClients } from '../kafka/kafka-clients.js';

export type FaultSetting = DataOf<'FaultsConfigured'>;

/**
 * Follows the fault switches (api-gateway.faults.v1, compacted) from their first record, without
 * a consumer group, and hands every setting read to `apply`: undefined when the setting was
 * deleted. An invalid record is logged and leaves the setting as it was.
 *
 * The offset of the setting applied is served on GET /metrics as kafkadog_fault_switches_offset.
 * The follower runs beside the service's consumer group, so nothing orders a switch before the
 * orders written after it: whoever flips a switch and needs it in force (a scenario) waits until
 * that gauge reaches the offset the switch was written at.
 */
export async function followFaultSwitches(
  kafka: KafkaClients,
  options: { readonly clientId: string; apply(setting: FaultSetting | undefined): void },
): Promise<TopicTail> {
  const { logger, metrics } = kafka;
  metrics.faultSwitchesOffset.set(-1);
  return tailTopics({
    brokers: kafka.brokers,
    topics: [topics.faults.name],
    from: 'earliest',
    clientId: options.clientId,
    logger,
    onRecord: (record) => {
      if (record.value === undefined) {
        options.apply(undefined);
      } else {
        const parsed = parseEvent(record.value, topics.faults);
        if (!parsed.ok || parsed.event.type !== 'FaultsConfigured') {
          logger.warn('invalid fault setting ignored; the switches stay as they were', {
            topic: record.topic,
            offset: record.offset,
            error: parsed.ok ? `unexpected ${parsed.event.type}` : parsed.error,
          });
        } else {
          options.apply(parsed.event.data);
        }
      }
      metrics.faultSwitchesOffset.set(Number(record.offset));
    },
  });
}
