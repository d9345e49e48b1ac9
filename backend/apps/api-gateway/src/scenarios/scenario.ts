import type { RecordPosition } from '@kafkadog/kafka';
import type { FaultsUpdate } from '../faults/faults.js';
import type { OrderRequest } from '../orders/order-request.js';
import type { StopSignal } from '../lab/lab.client.js';
import type { Fact } from './facts.js';
import type { Judgement } from './verdict.js';

export const SCENARIO_IDS = [
  'success',
  'failure-recovery',
  'replay',
  'scaling',
  'poison-pill',
  'compensation',
  'broker-failure',
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** A scenario: what it teaches, how it runs, and how what happened is judged. */
export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  /** The Kafka concept, in 2 to 4 sentences for a learner. */
  readonly concept: string;
  /** What a run does and what it expects to see. */
  readonly summary: string;
  /** The fault switches a run sets (and restores at the end). */
  readonly faults: readonly string[];
  /**
   * What the learner does by hand while the run watches, when the gateway has no lab (LAB_URL)
   * to do it: with one, the run does it all.
   */
  readonly manualSteps?: readonly string[];
  readonly run: (run: RunContext) => Promise<void>;
  /** Pure: decided from the facts alone. */
  readonly verdict: (facts: readonly Fact[]) => Judgement;
}

/**
 * What the lab of the process that runs the stack does for a run. What a run starts or stops
 * here it undoes when it ends, however it ends: its instances stop, Kafka runs again.
 */
export interface RunLab {
  /** Starts one more instance of `service` and resolves once it is healthy, with its name. */
  startInstance(service: string): Promise<string>;
  stopInstance(name: string, signal: StopSignal): Promise<void>;
  /** Stops the broker (its data kept). */
  stopKafka(): Promise<void>;
  /** Starts it again; resolves once it answers. */
  startKafka(): Promise<void>;
}

/** What a scenario's steps can do. Everything a step causes is judged from the facts it leads to. */
export interface RunContext {
  log(text: string): void;
  /** The lab (LAB_URL), or undefined: then what it would do is the learner's to do by hand. */
  readonly lab: RunLab | undefined;
  /**
   * Places an order through the gateway's own order path; its id joins the run's orders. A
   * refusal (an HTTP error the gateway would answer) is a fact too, then thrown.
   */
  placeOrder(request: OrderRequest, label?: string): Promise<string>;
  /**
   * Changes fault switches and waits until the services that follow them apply the change (each
   * reports the setting's offset on GET /metrics). The run restores what they were when it ends,
   * however it ends.
   */
  setFaults(update: FaultsUpdate): Promise<void>;
  /** Sends a dead letter back to orders.retry.v1 (as POST /dlq/:offset/redrive does). */
  redrive(dlqOffset: number): Promise<void>;
  /** Writes bytes as they are to a topic (as POST /explorer/topics/:name/messages does). */
  produceRaw(topic: string, key: string, value: string): Promise<RecordPosition>;
  /** Reads every group's committed offsets on `topic` into the facts. */
  observeGroupOffsets(topic: string): Promise<void>;
  /** Counts the records (not offsets) between `from` and `to` of partitions of `topic`, as a fact. */
  observeRecords(
    topic: string,
    ranges: readonly { partition: number; from: string; to: string }[],
  ): Promise<void>;
  /** Reads the log end of every partition of `topic` into the facts. */
  observeLogEnd(topic: string): Promise<void>;
  /** Reads a group's members and assignment into the facts. */
  observeGroup(group: string): Promise<void>;
  /** Reads a counter of a service's GET /metrics into the facts. */
  observeCounter(service: string, name: string, labels: Record<string, string>): Promise<void>;
  /**
   * Pauses a consumer group through api-gateway.control.v1 (its consumers leave it); the run
   * resumes it when it ends, however it ends.
   */
  pauseGroup(group: string): Promise<void>;
  resumeGroup(group: string): Promise<void>;
  /** Moves an empty group's committed offsets on `topics` to the earliest records. */
  resetToEarliest(group: string, topics: readonly string[]): Promise<void>;
  /** Asks every service's GET /health into the facts. */
  observeHealth(): Promise<void>;
  /** Records whether the gateway's Kafka connection answers now. */
  observeKafka(): void;
  /** The facts so far. */
  facts(): readonly Fact[];
  /** Resolves once `until` holds, calling `observe` before each look; rejects after `timeoutMs`. */
  waitFor(
    what: string,
    until: (facts: readonly Fact[]) => boolean,
    timeoutMs: number,
    observe?: () => Promise<void>,
  ): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** How long a run waits for something it caused (config: SCENARIO_WAIT_MS). */
  readonly waitMs: number;
  /** How long a run watches for what the learner does by hand (config: SCENARIO_WATCH_MS). */
  readonly watchMs: number;
}
