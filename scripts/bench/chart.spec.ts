import { describe, expect, it } from 'vitest';
import { chartSpec, renderChart } from './chart.js';

describe('the bench chart', () => {
  const input = {
    title: 'test',
    latencies: Array.from({ length: 10_000 }, (_, i) => ({
      t: i / 100,
      ms: 20 + (i % 50),
      phase: i < 5_000 ? 'fixed' : 'max',
    })),
    lag: [
      { t: 0, total: 0 },
      { t: 1, total: 12 },
    ],
  };

  it('draws at most a few thousand points over time, and every order in the distribution', () => {
    const spec = chartSpec(input) as unknown as { vconcat: { data: { values: unknown[] } }[] };
    expect(spec.vconcat[0]!.data.values.length).toBeLessThanOrEqual(4_000);
    expect(spec.vconcat[1]!.data.values.length).toBe(10_000);
  });

  it('renders an SVG', async () => {
    const svg = await renderChart(input);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Latency distribution');
  });
});
