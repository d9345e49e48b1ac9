import type { BenchResult, FixedRateResult, ModeResult } from './result.js';
import { ratio } from './stats.js';
import { STEPS } from './hops.js';
import type { Limit } from './limit.js';
import type { WarmUpResult } from './warm-up.js';

type Cell = string | number | null | undefined;

/** Left column labels, right-aligned figures, two spaces between columns. */
export function table(rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map((cell) => show(cell)));
  const widths = text[0]?.map((_, i) => Math.max(...text.map((row) => row[i]?.length ?? 0))) ?? [];
  return text
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function show(cell: Cell): string {
  if (cell === null || cell === undefined) return '–';
  if (typeof cell === 'string') return cell;
  return Number.isInteger(cell) ? String(cell) : cell.toFixed(cell < 10 ? 2 : 1);
}

const slash = (...cells: Cell[]) => cells.map(show).join(' / ');
const times = (value: number | null) => (value === null ? null : `×${String(value)}`);

export function ratiosOf(
  result: Pick<ModeResult, 'fixedRate' | 'maxThroughput'>,
  limit: Limit | null,
) {
  return {
    e2eP50OverHopP50: ratio(
      result.fixedRate?.p50Ms ?? result.maxThroughput?.p50Ms,
      limit?.hopP50Ms,
    ),
    e2eP99OverHopP99: ratio(
      result.fixedRate?.p99Ms ?? result.maxThroughput?.p99Ms,
      limit?.hopP99Ms,
    ),
    ordersOverProducerRecords: ratio(
      result.maxThroughput?.ordersPerSec,
      limit?.producerRecordsPerSec,
    ),
    ordersOverConsumerRecords: ratio(
      result.maxThroughput?.ordersPerSec,
      limit?.consumerRecordsPerSec,
    ),
  };
}

/** The report printed at the end of a run: one block per processing mode. */
export function formatReport(result: BenchResult): string {
  const modes = result.modes ? Object.values(result.modes) : [result];
  return modes.map(formatMode).join('\n\n');
}

function cpuShare(load: Pick<FixedRateResult, 'machineCpu'> | null): string | null {
  const cpu = load?.machineCpu;
  return cpu ? slash(cpu.busyPercent, cpu.stealPercent) : null;
}

function warmUpLine(warmUp: WarmUpResult): string {
  const until =
    warmUp.jitSettled === true
      ? ", until the broker's JIT settled"
      : warmUp.jitSettled === false
        ? "; the broker's JIT had not settled"
        : '';
  return `warm-up before measuring: ${warmUp.seconds} s at the fixed rate${until}`;
}

function formatMode(r: ModeResult): string {
  const f = r.fixedRate;
  const m = r.maxThroughput;
  const { machine } = r;
  const lines = [
    `kafkadog bench: ${r.mode}, Kafka ${machine.kafka}, Node ${machine.node}, ${machine.cpus} CPU (${machine.cpuModel}), ${machine.memoryGb} GB`,
    ...(r.warmUp ? [warmUpLine(r.warmUp)] : []),
    '',
    table([
      ['', 'fixed rate', 'max throughput'],
      ['orders go in via', f?.via, m?.via],
      [
        'load',
        f && `${show(f.ratePerSec)}/s × ${show(f.durationSec)} s`,
        m && `${show(m.durationSec)} s, window ${m.window}`,
      ],
      ['placed (failed)', f && `${f.placed} (${f.failed})`, m && `${m.placed} (${m.failed})`],
      [
        'completed / cancelled',
        f && slash(f.completed, f.cancelled),
        m && slash(m.completed, m.cancelled),
      ],
      ['lost / duplicates', f && slash(f.lost, f.duplicates), m && slash(m.lost, m.duplicates)],
      [
        'e2e p50 / p95 / p99 / max ms',
        f && slash(f.p50Ms, f.p95Ms, f.p99Ms, f.maxMs),
        m && slash(m.p50Ms, m.p95Ms, m.p99Ms, m.maxMs),
      ],
      ['HTTP p50 / p99 ms', f && f.via === 'http' ? slash(f.httpP50Ms, f.httpP99Ms) : null, null],
      ['completed orders/s', f?.completedPerSec, m?.ordersPerSec],
      ['lag peak / drain ms', null, m && slash(m.peakLag, m.lagDrainMs)],
      ['machine CPU busy / stolen %', cpuShare(f), cpuShare(m)],
    ]),
  ];
  if (f) {
    const split = (value: { p50Ms: number | null; p99Ms: number | null }) =>
      slash(value.p50Ms, value.p99Ms);
    lines.push(
      '',
      "Where the fixed rate's time went, p50 / p99 ms (record timestamps and handled-at headers):",
      table([
        ['step', 'waited for the service', 'processed'],
        ...STEPS.map((step) => [step, split(f.hops[step].waited), split(f.hops[step].processed)]),
      ]),
    );
  }
  if (r.limit) {
    lines.push(
      '',
      "The limit, by Kafka's own tools on the same broker:",
      table([
        [
          'one hop (EndToEndLatency, acks=all) p50 / p99 ms',
          slash(r.limit.hopP50Ms, r.limit.hopP99Ms),
        ],
        ['ProducerPerformance records/s (512 B, acks=all)', r.limit.producerRecordsPerSec],
        ['ConsumerPerformance records/s', r.limit.consumerRecordsPerSec],
        ['our e2e p50 / one hop p50', times(r.ratios.e2eP50OverHopP50)],
        ['our e2e p99 / one hop p99', times(r.ratios.e2eP99OverHopP99)],
        ['our orders/s / producer records/s', times(r.ratios.ordersOverProducerRecords)],
        ['our orders/s / consumer records/s', times(r.ratios.ordersOverConsumerRecords)],
      ]),
    );
  }
  if (r.replay) {
    lines.push(
      '',
      table([
        [
          `replay of ${r.replay.group} from the earliest offsets`,
          `${r.replay.records} records in ${r.replay.seconds} s: ${r.replay.recordsPerSec} records/s`,
        ],
        ['  with its start (state load, group join)', `${r.replay.secondsWithStart} s`],
      ]),
    );
  }
  const names = Object.keys(r.rssMb);
  const settled = r.rssAfterMb;
  const afterHeader = settled ? `RSS MB after ${settled.placed} orders` : undefined;
  lines.push(
    '',
    table([
      ['process', 'peak RSS MB', ...(afterHeader ? [afterHeader] : []), 'CPU ms/order'],
      ...names.map((name) => [
        name,
        Math.round(r.rssMb[name] ?? 0),
        ...(settled ? [Math.round(settled.mb[name] ?? 0)] : []),
        r.cpuMsPerOrder[name],
      ]),
    ]),
  );
  return lines.join('\n');
}
