import { formatDuration } from '../lib/log.js';
import type { FaultReport } from './run.js';

const SHOWN_IDS = 5;

function counts(record: Readonly<Record<string, number>>): string {
  const entries = Object.entries(record).sort(([, a], [, b]) => b - a);
  return entries.map(([key, count]) => `${key} ${count}`).join(', ');
}

function ids(list: readonly string[]): string {
  if (list.length === 0) return '';
  const shown = list.slice(0, SHOWN_IDS).join(', ');
  return list.length > SHOWN_IDS ? `${shown}, … (${list.length - SHOWN_IDS} more)` : shown;
}

function table(rows: readonly (readonly string[])[], alignRight: readonly boolean[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) =>
        alignRight[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** The report as a compact table for stdout: orders, outcomes, losses, the stock per product. */
export function formatReport(report: FaultReport): string {
  const { orders } = report;
  const lines = [
    `── ${report.title}: ${report.ratePerSec} orders/s for ${formatDuration(report.durationMs)} over HTTP (${report.setup})`,
  ];
  for (const event of report.timeline) {
    lines.push(`   ${formatDuration(event.atMs).padStart(8)}  ${event.what}`);
  }
  const summary: [string, string, string][] = [
    ['placed (201)', String(orders.accepted), ''],
    [
      'refused placements',
      String(orders.failed),
      orders.failed > 0 ? `not orders, so not lost: ${counts(orders.failedBy)}` : '',
    ],
    [
      'on orders.v1',
      String(orders.placed),
      orders.unconfirmed > 0 ? `${orders.unconfirmed} written but not answered 201` : '',
    ],
    ['completed', String(orders.completed), ''],
    [
      'cancelled',
      String(orders.cancelled),
      orders.cancelled > 0 ? `by reason: ${counts(orders.cancelledBy)}` : '',
    ],
    ['lost', String(orders.lost.length + orders.neverWritten.length), lostDetail(report)],
    ['duplicate outcomes', String(orders.duplicates.length), ids(orders.duplicates)],
    [
      'identical copies',
      String(orders.copies),
      orders.copies > 0 ? 'an outcome written again by a redone batch, same event id' : '',
    ],
    [
      'stock balance',
      report.stockError
        ? 'unread'
        : report.stock.every((row) => row.problems.length === 0)
          ? 'ok'
          : 'WRONG',
      report.stockError ?? 'initial − sold by completed orders = available, 0 reserved',
    ],
    [
      'load / drain',
      `${formatDuration(report.loadMs)} / ${formatDuration(report.drainMs)}`,
      report.drained ? '' : `the drain gave up, waiting for ${report.drainBlocker ?? '?'}`,
    ],
  ];
  lines.push(...table(summary, [false, true, false]).map((line) => `   ${line}`));
  if (report.stock.length > 0) {
    const header = ['product', 'initial', 'sold', 'available', 'reserved', 'gateway', ''];
    const rows = report.stock.map((row) => [
      row.productId,
      String(row.initial),
      String(row.sold),
      String(row.available ?? '-'),
      String(row.reserved ?? '-'),
      String(row.shown ?? '-'),
      row.problems.length === 0 ? 'ok' : row.problems.join('; '),
    ]);
    lines.push(
      ...table([header, ...rows], [false, true, true, true, true, true, false]).map(
        (line) => `   ${line}`,
      ),
    );
  }
  for (const trace of report.traces) {
    lines.push(`   trace of ${trace.orderId}:`);
    lines.push(
      ...(trace.lines.length > 0 ? trace.lines : ['(nothing)']).map((line) => `     ${line}`),
    );
  }
  return lines.join('\n');
}

function lostDetail(report: FaultReport): string {
  const { lost, neverWritten } = report.orders;
  const parts: string[] = [];
  if (lost.length > 0) parts.push(`no outcome: ${ids(lost)}`);
  if (neverWritten.length > 0) parts.push(`answered 201, not on orders.v1: ${ids(neverWritten)}`);
  return parts.join('; ');
}

/** Everything a fault run must not show; empty when it held. */
export function failuresOf(report: FaultReport): string[] {
  const { orders } = report;
  const failures = [...report.faultFailures];
  if (orders.accepted === 0) failures.push('no order was accepted: the run tested nothing');
  if (orders.completed === 0) failures.push('no order completed');
  if (orders.lost.length > 0) {
    failures.push(`${orders.lost.length} orders lost (no outcome): ${ids(orders.lost)}`);
  }
  if (orders.neverWritten.length > 0) {
    failures.push(
      `${orders.neverWritten.length} orders answered 201 but never written to orders.v1: ${ids(orders.neverWritten)}`,
    );
  }
  if (orders.duplicates.length > 0) {
    failures.push(
      `${orders.duplicates.length} orders with more than one outcome: ${ids(orders.duplicates)}`,
    );
  }
  if (orders.unknown.length > 0) {
    failures.push(`outcomes for orders never placed: ${ids(orders.unknown)}`);
  }
  if (!report.drained) {
    failures.push(`the drain gave up, still waiting for ${report.drainBlocker ?? '?'}`);
  }
  if (report.readError) failures.push(`the order topics could not be read: ${report.readError}`);
  if (report.stockError) failures.push(`the stock could not be read: ${report.stockError}`);
  for (const row of report.stock) {
    if (row.problems.length > 0)
      failures.push(`stock of ${row.productId}: ${row.problems.join('; ')}`);
  }
  return failures;
}
