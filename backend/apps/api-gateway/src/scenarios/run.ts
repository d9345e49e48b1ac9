import { randomUUID } from 'node:crypto';
import type { FactLog } from './fact-recorder.js';
import type { Fact } from './facts.js';
import type { Scenario, ScenarioId } from './scenario.js';
import { liveVerdict, type Verdict } from './verdict.js';

export type RunStatus = 'running' | 'passed' | 'failed';

export interface RunView {
  readonly runId: string;
  readonly scenario: ScenarioId;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly log: readonly { at: string; text: string }[];
  readonly orders: readonly string[];
  /** What the learner does by hand while the run watches; empty when the run does it all. */
  readonly manualSteps: readonly string[];
  readonly verdict: Verdict;
}

/** One run of a scenario: its log, its facts, and the verdict they lead to. */
export class Run {
  readonly id = randomUUID();
  readonly startedAt = new Date();
  readonly orders: string[] = [];
  readonly #log: { at: string; text: string }[] = [];
  #ended: { at: Date; verdict: Verdict } | undefined;

  constructor(
    readonly scenario: Scenario,
    readonly facts: FactLog,
    /** The scenario's manual steps, or none when the lab does them. */
    readonly manualSteps: readonly string[],
  ) {}

  get running(): boolean {
    return this.#ended === undefined;
  }

  log(text: string): void {
    this.#log.push({ at: new Date().toISOString(), text });
  }

  add(fact: Fact): void {
    this.facts.add(fact);
  }

  /** Ends the run with the verdict of its facts as they are now. */
  end(): void {
    const dropped = this.facts.dropped;
    if (dropped > 0)
      this.log(`${dropped} facts beyond the first ${this.facts.facts.length} were not kept`);
    this.#ended = { at: new Date(), verdict: this.scenario.verdict(this.facts.facts) };
  }

  view(): RunView {
    const verdict =
      this.#ended?.verdict ?? liveVerdict(this.scenario.verdict(this.facts.facts), true);
    return {
      runId: this.id,
      scenario: this.scenario.id,
      status: this.#ended ? (verdict.passed ? 'passed' : 'failed') : 'running',
      startedAt: this.startedAt.toISOString(),
      ...(this.#ended ? { endedAt: this.#ended.at.toISOString() } : {}),
      log: [...this.#log],
      orders: [...this.orders],
      manualSteps: this.manualSteps,
      verdict,
    };
  }
}
