import { styleText } from 'node:util';

// `[payment-service] 4711  - 6/1/2025, 10:00:00 AM     LOG [Context] message` (Nest's console
// logger): the name, pid and date repeat what the prefix and the terminal already show.
const NEST_LINE = /^\[[^\]]*\] \d+ +- .*?(LOG|ERROR|WARN|DEBUG|VERBOSE|FATAL) /;

/**
 * A service's log line as `npm start` shows it: Nest's header reduced to the level (coloured
 * when `color`), anything else unchanged.
 */
export function compactLogLine(line: string, color = false): string {
  const match = NEST_LINE.exec(line);
  if (!match) return line;
  const level = match[1] ?? 'LOG';
  const padded = level.padEnd(5);
  const styled =
    !color || level === 'LOG'
      ? padded
      : styleText(
          level === 'WARN' ? 'yellow' : level === 'ERROR' || level === 'FATAL' ? 'red' : 'gray',
          padded,
          { validateStream: false },
        );
  return `${styled} ${line.slice(match[0].length)}`;
}
