import { KafkadogError } from '../kafka/errors.js';

/** DESIGN.md's processing modes; every service reads its mode from KAFKADOG_PROCESSING. */
export const PROCESSING_MODES = ['at-least-once', 'exactly-once'] as const;
export type ProcessingMode = (typeof PROCESSING_MODES)[number];

/** The modes the services implement today. Add 'exactly-once' here once they do. */
const AVAILABLE: readonly ProcessingMode[] = ['at-least-once'];

/** Throws, before anything starts, for a mode the services cannot run yet. */
export function requireAvailable(modes: readonly ProcessingMode[]): void {
  const missing = modes.filter((mode) => !AVAILABLE.includes(mode));
  if (missing.length > 0) {
    throw new KafkadogError(
      'BAD_ARGS',
      `--processing ${missing.join(', ')} is not available yet: the services implement only ${AVAILABLE.join(', ')}. Run with --processing at-least-once.`,
    );
  }
}
