import { counter } from '../lib/metrics.js';

/** One partition of the gateway's reset answer. */
export interface ResetRow {
  readonly topic: string;
  readonly partition: number;
  readonly before: string | null;
  readonly after: string;
  /** Records between the offsets (transaction markers take offsets but are no records). */
  readonly records: number;
}

/** Records the group reads again (moved back) and skips (moved forward) after the reset. */
export function movedRecords(rows: readonly ResetRow[]): { replayed: number; skipped: number } {
  let replayed = 0;
  let skipped = 0;
  for (const row of rows) {
    const before = row.before === null ? BigInt(row.after) : BigInt(row.before);
    if (BigInt(row.after) < before) replayed += row.records;
    else skipped += row.records;
  }
  return { replayed, skipped };
}

export const DUPLICATES = 'kafkadog_duplicates_suppressed_total';

/** The group's duplicates-suppressed count summed over every service's /metrics text. */
export function duplicatesOf(metricsTexts: readonly string[], group: string): number {
  return metricsTexts.reduce((sum, text) => sum + counter(text, DUPLICATES, { group }), 0);
}

export interface GroupReplay {
  readonly group: string;
  readonly replayed: number;
  readonly skipped: number;
  readonly duplicates: number;
  readonly seconds: number;
  readonly command: string;
}

export interface ReplayReport {
  readonly groups: readonly GroupReplay[];
  /** Records written to orders.outcome.v1 while the replay ran. */
  readonly newOutcomes: number;
}

/** Every replayed record was recognised as a duplicate, and no outcome was written. */
export function replayHeld(report: ReplayReport): boolean {
  return report.newOutcomes === 0 && report.groups.every((g) => g.duplicates === g.replayed);
}

export function formatGroup(result: GroupReplay): string {
  const verdict =
    result.duplicates === result.replayed
      ? ''
      : `  ← ${result.replayed - result.duplicates} not suppressed`;
  return [
    `${result.group}: replayed ${result.replayed} record(s) in ${result.seconds.toFixed(1)} s, ` +
      `${result.duplicates} duplicate(s) suppressed${verdict}` +
      (result.skipped > 0 ? `, ${result.skipped} skipped (moved forward)` : ''),
    `  same reset with Kafka's tool (with the group's consumers stopped):`,
    `  ${result.command}`,
  ].join('\n');
}

export function formatReport(report: ReplayReport): string {
  const replayed = report.groups.reduce((sum, g) => sum + g.replayed, 0);
  const duplicates = report.groups.reduce((sum, g) => sum + g.duplicates, 0);
  return [
    `Replay of ${report.groups.length} group(s): ${replayed} record(s) replayed, ${duplicates} duplicate(s) suppressed, ` +
      `${report.newOutcomes} new outcome(s)${report.newOutcomes === 0 ? '' : ' (expected 0)'}.`,
    ...report.groups.map(formatGroup),
  ].join('\n');
}
