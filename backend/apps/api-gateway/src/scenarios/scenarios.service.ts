import { topics } from '@kafkadog/contracts';
import { describeError } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroupControl } from '../control/group-control.js';
import { DlqService } from '../dlq/dlq.service.js';
import { FaultsService } from '../faults/faults.service.js';
import type { Faults, FaultsUpdate } from '../faults/faults.js';
import { EventFeed } from '../feed/event-feed.js';
import { ApiError } from '../http/api-error.js';
import { LabClient } from '../lab/lab.client.js';
import { writingToKafka } from '../http/kafka-unavailable.js';
import { OrdersService } from '../orders/orders.service.js';
import { scenarioById, scenarios } from './catalog/index.js';
import { FactRecorder } from './fact-recorder.js';
import { factsOf } from './facts.js';
import { Probes } from './probes.js';
import { Run, type RunView } from './run.js';
import type { RunContext, RunLab, Scenario, ScenarioId } from './scenario.js';
import { SCENARIOS_CONFIG, type ScenariosConfig } from './scenarios.config.js';

/** Finished runs kept for GET /scenarios/runs/:runId. */
const KEPT_RUNS = 50;
const POLL_MS = 500;
/** The gauge a service that follows the fault switches serves: the offset of the one it applies. */
const FAULTS_OFFSET = 'kafkadog_fault_switches_offset';

/** The services whose decisions the changed switches steer. */
function followersOf(update: FaultsUpdate): string[] {
  const followers: string[] = [];
  if (update.inventoryFailureRate !== undefined) followers.push('inventory-service');
  if (update.paymentLimitCents !== undefined || update.declinedCards !== undefined) {
    followers.push('payment-service');
  }
  return followers;
}

export interface ScenarioView {
  readonly id: ScenarioId;
  readonly title: string;
  readonly concept: string;
  readonly summary: string;
  readonly faults: readonly string[];
  readonly manualSteps: readonly string[];
}

/** What a run had the lab do that its end undoes. */
class LabUndo {
  /** What the lab ran before the run first asked it for an instance. */
  before: ReadonlySet<string> | undefined;
  /** The instances it answered with, not stopped yet. */
  readonly instances = new Set<string>();
  kafkaStopped = false;
}

const message = (error: unknown) => (error instanceof Error ? error.message : describeError(error));

/**
 * Runs scenarios: their steps go through the gateway's own services (orders, fault switches,
 * redrive, the producer), and their verdicts are read from the facts the run recorded. One run
 * at a time: runs share the fault switches, and one run's orders would muddle another's facts.
 */
@Injectable()
export class ScenariosService implements BeforeApplicationShutdown {
  readonly #runs = new Map<string, Run>();
  #current: { run: Run; abort: AbortController; done: Promise<void> } | undefined;

  constructor(
    private readonly kafka: KafkaClients,
    private readonly feed: EventFeed,
    private readonly recorder: FactRecorder,
    private readonly probes: Probes,
    private readonly orders: OrdersService,
    private readonly faults: FaultsService,
    private readonly dlq: DlqService,
    private readonly groups: GroupControl,
    private readonly lab: LabClient,
    @Inject(SCENARIOS_CONFIG) private readonly config: ScenariosConfig,
  ) {}

  list(): ScenarioView[] {
    return scenarios.map((scenario) => ({
      id: scenario.id,
      title: scenario.title,
      concept: scenario.concept,
      summary: scenario.summary,
      faults: scenario.faults,
      manualSteps: this.#manualSteps(scenario),
    }));
  }

  /** With a lab, the run does what the learner would otherwise do by hand. */
  #manualSteps(scenario: Scenario): readonly string[] {
    return this.lab.available ? [] : (scenario.manualSteps ?? []);
  }

  async start(id: ScenarioId): Promise<string> {
    const scenario = scenarioById(id);
    if (this.#current) {
      const { run } = this.#current;
      throw new ApiError(409, {
        error: 'run_in_progress',
        message: `a run of ${run.scenario.id} is in progress (${run.id}); one run at a time`,
        runId: run.id,
      });
    }
    // Started before the feed caught up, a run would take history for what it caused.
    await this.feed.untilCaughtUp();
    if (this.#current) return this.start(id);
    const { log, close } = this.recorder.open();
    const run = new Run(scenario, log, this.#manualSteps(scenario));
    const abort = new AbortController();
    this.#runs.set(run.id, run);
    const done = this.#execute(run, abort.signal).finally(() => {
      close();
      run.end();
      this.#current = undefined;
      this.#forgetOld();
    });
    this.#current = { run, abort, done };
    return run.id;
  }

  latest(id: ScenarioId): RunView {
    const runs = [...this.#runs.values()].filter((run) => run.scenario.id === id);
    const last = runs.at(-1);
    if (!last) throw ApiError.notFound(`a run of ${id}`);
    return last.view();
  }

  get(runId: string): RunView {
    const run = this.#runs.get(runId);
    if (!run) throw ApiError.notFound(`run ${runId}`);
    return run.view();
  }

  /** A run in progress stops and restores the fault switches while Kafka is still connected. */
  async beforeApplicationShutdown(): Promise<void> {
    this.#current?.abort.abort(new Error('the gateway is stopping'));
    await this.#current?.done;
  }

  async #execute(run: Run, signal: AbortSignal): Promise<void> {
    const { scenario } = run;
    const before = this.faults.current();
    let faultsChanged = false;
    const paused = new Set<string>();
    const undo = new LabUndo();
    const context = this.#context(run, signal, paused, undo, () => (faultsChanged = true));
    run.log(`started ${scenario.id}`);
    try {
      await scenario.run(context);
      await context.waitFor(
        'the verdict to pass',
        (facts) => scenario.verdict(facts).passed,
        this.config.waitMs,
      );
      // A second outcome or dead letter may still be on its way.
      await sleep(this.config.settleMs, undefined, { signal });
    } catch (error) {
      run.log(`stopped: ${message(error)}`);
    } finally {
      // Kafka first: restoring the switches and resuming groups write to it.
      await this.#undoLab(run, undo);
      if (faultsChanged) await this.#restore(run, before);
      for (const group of paused) await this.#resume(run, group);
    }
  }

  async #undoLab(run: Run, undo: LabUndo): Promise<void> {
    if (undo.kafkaStopped) {
      try {
        run.log('starting Kafka again (the run stopped it)');
        await this.lab.startKafka();
        run.log('Kafka started again');
      } catch (error) {
        run.log(`could not start Kafka again (npm run kafka:start): ${message(error)}`);
      }
    }
    for (const name of await this.#startedBy(undo)) {
      try {
        await this.lab.stopInstance(name, 'SIGTERM');
        run.log(`${name} stopped (the run started it)`);
      } catch (error) {
        run.log(`could not stop ${name}: ${message(error)}`);
      }
    }
  }

  /**
   * The instances the run had the lab start that still run. Asked of the lab when it can be: a
   * start whose answer never came (a timeout) may still have started one.
   */
  async #startedBy(undo: LabUndo): Promise<string[]> {
    const { before } = undo;
    if (before === undefined) return [...undo.instances];
    try {
      const running = await this.lab.instances();
      return running.map((i) => i.name).filter((name) => !before.has(name));
    } catch {
      return [...undo.instances];
    }
  }

  async #restore(run: Run, before: Faults): Promise<void> {
    const { inventoryFailureRate, paymentLimitCents, declinedCards } = before;
    try {
      await this.faults.update({ inventoryFailureRate, paymentLimitCents, declinedCards });
      run.log(
        `fault switches restored: inventoryFailureRate ${inventoryFailureRate}, paymentLimitCents ${paymentLimitCents}, declinedCards ${declinedCards.length}`,
      );
    } catch (error) {
      run.log(`could not restore the fault switches (PUT /faults by hand): ${message(error)}`);
    }
  }

  async #resume(run: Run, group: string): Promise<void> {
    try {
      await this.groups.resume(group);
      run.log(`group ${group} resumed`);
    } catch (error) {
      run.log(
        `could not resume group ${group} (POST /explorer/groups/${group}/resume): ${message(error)}`,
      );
    }
  }

  #context(
    run: Run,
    signal: AbortSignal,
    paused: Set<string>,
    undo: LabUndo,
    faultsChanged: () => void,
  ): RunContext {
    const facts = () => run.facts.facts;
    const add = (list: readonly Parameters<Run['add']>[0][]) => list.forEach((f) => run.add(f));
    const context: RunContext = {
      waitMs: this.config.waitMs,
      watchMs: this.config.watchMs,
      log: (text) => run.log(text),
      facts,
      sleep: (ms) => sleep(ms, undefined, { signal }),
      lab: this.lab.available ? this.#runLab(run, undo) : undefined,
      placeOrder: async (request, label = 'order') => {
        const { orderId } = await this.orders.place(request, undefined).catch((error: unknown) => {
          if (error instanceof ApiError) {
            const { error: code, message: text } = error.body;
            run.add({
              kind: 'refused',
              at: Date.now(),
              label,
              status: error.getStatus(),
              error: code,
              message: text,
            });
          }
          throw error;
        });
        run.orders.push(orderId);
        run.add({ kind: 'placed', at: Date.now(), orderId, label });
        return orderId;
      },
      setFaults: async (update) => {
        faultsChanged();
        const { offset } = await this.faults.write(update);
        // A service follows the switches beside its consumer group: an order placed before it
        // read the new setting would be decided by the old one.
        for (const service of followersOf(update)) {
          const setting = `${topics.faults.name}@${offset}`;
          await context.waitFor(
            `${service} to apply the fault setting at ${setting} (${FAULTS_OFFSET})`,
            (facts) =>
              (factsOf(facts, 'counter')
                .filter((fact) => fact.service === service && fact.name === FAULTS_OFFSET)
                .at(-1)?.value ?? -1) >= offset,
            this.config.waitMs,
            () => context.observeCounter(service, FAULTS_OFFSET, {}),
          );
          run.log(`${service} applies the fault setting at ${setting}`);
        }
      },
      redrive: async (offset) => {
        await this.dlq.redrive(offset);
      },
      produceRaw: (topic, key, value) =>
        writingToKafka(this.kafka, 'the record', () =>
          this.kafka.producer.sendRaw({ topic, key, value: Buffer.from(value) }),
        ),
      observeGroupOffsets: async (topic) => add(await this.probes.groupOffsets(topic)),
      observeLogEnd: async (topic) => run.add(await this.probes.logEnd(topic)),
      observeRecords: async (topic, ranges) =>
        run.add(await this.probes.recordCount(topic, ranges)),
      observeGroup: async (group) => run.add(await this.probes.group(group)),
      observeHealth: async () => add(await this.probes.health()),
      observeCounter: async (service, name, labels) =>
        run.add(await this.probes.counter(service, name, labels)),
      pauseGroup: async (group) => {
        paused.add(group);
        await this.groups.pause(group);
      },
      resumeGroup: async (group) => {
        await this.groups.resume(group);
        paused.delete(group);
      },
      resetToEarliest: async (group, topics) => {
        await this.kafka.admin.resetGroupOffsets(group, topics, 'earliest');
      },
      observeKafka: () => run.add({ kind: 'kafka', at: Date.now(), up: this.probes.kafkaUp() }),
      waitFor: async (what, until, timeoutMs, observe) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          signal.throwIfAborted();
          if (observe) {
            await observe().catch((error: unknown) => run.log(`could not look: ${message(error)}`));
          }
          if (until(facts())) return;
          if (Date.now() >= deadline) {
            throw new Error(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
          }
          await sleep(POLL_MS, undefined, { signal });
        }
      },
    };
    return context;
  }

  /** The lab's actions, each remembered in `undo` until undone. */
  #runLab(run: Run, undo: LabUndo): RunLab {
    return {
      startInstance: async (service) => {
        undo.before ??= new Set((await this.lab.instances()).map((i) => i.name));
        const { name } = await this.lab.startInstance(service);
        undo.instances.add(name);
        run.add({ kind: 'instance', at: Date.now(), name, service, state: 'started' });
        return name;
      },
      stopInstance: async (name, signal) => {
        await this.lab.stopInstance(name, signal);
        undo.instances.delete(name);
        const service = name.split('#')[0] ?? name;
        run.add({ kind: 'instance', at: Date.now(), name, service, state: 'stopped' });
      },
      stopKafka: async () => {
        undo.kafkaStopped = true;
        await this.lab.stopKafka();
      },
      startKafka: async () => {
        await this.lab.startKafka();
        undo.kafkaStopped = false;
      },
    };
  }

  #forgetOld(): void {
    for (const id of [...this.#runs.keys()].slice(0, Math.max(0, this.#runs.size - KEPT_RUNS))) {
      this.#runs.delete(id);
    }
  }
}
