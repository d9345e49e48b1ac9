/** A duration as a learner reads it: `850 ms`, `2.1 s`, `4 s`, `12 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  const seconds = abs / 1000;
  if (seconds < 10) return `${sign}${String(Math.round(seconds * 10) / 10)} s`;
  if (seconds < 60) return `${sign}${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  if (minutes < 60) return `${sign}${minutes} min${rest ? ` ${rest} s` : ''}`;
  const hours = Math.floor(minutes / 60);
  return `${sign}${hours} h ${minutes - hours * 60} min`;
}

/** How long ago `iso` was, relative to `now`. */
export function formatAge(iso: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(iso));
  if (ms < 1000) return 'now';
  return `${formatDuration(ms)} ago`;
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

/** `14:03:07.123`, in UTC so that server and browser render the same text. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().slice(11, 23);
}

/** `2025-01-02 14:03:07 UTC`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toLocaleString('en-US');
}

/** A value as indented JSON when it is JSON, else as it is. */
export function prettyJson(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}
