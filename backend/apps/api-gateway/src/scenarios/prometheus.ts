/**
 * The sum of a counter's series in Prometheus text that carry every one of `labels` (0 when none
 * does yet: a labelled counter shows no series before its first increment).
 */
export function counterValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>>,
): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([label, value]) => series.get(label) === value)) {
      sum += Number(match[3]);
    }
  }
  return sum;
}
