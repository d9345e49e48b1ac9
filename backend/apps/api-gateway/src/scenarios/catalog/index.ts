import type { Scenario, ScenarioId } from '../scenario.js';
import { brokerFailure } from './broker-failure.js';
import { compensation } from './compensation.js';
import { failureRecovery } from './failure-recovery.js';
import { poisonPill } from './poison-pill.js';
import { replay } from './replay.js';
import { scaling } from './scaling.js';
import { success } from './success.js';

/** In the order a learner meets them. */
export const scenarios: readonly Scenario[] = [
  success,
  compensation,
  failureRecovery,
  poisonPill,
  replay,
  scaling,
  brokerFailure,
];

export function scenarioById(id: ScenarioId): Scenario {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id}`);
  return scenario;
}
