import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ChartInput {
  readonly title: string;
  /** [seconds since the first order, latency ms, phase] per order. */
  readonly latencies: readonly { t: number; ms: number; phase: string }[];
  readonly lag: readonly { t: number; total: number }[];
}

/** Past this many orders, every nth is drawn: the SVG stays small, the shape the same. */
const MAX_POINTS = 4_000;

export function chartSpec(input: ChartInput): TopLevelSpec {
  const step = Math.ceil(input.latencies.length / MAX_POINTS);
  const points = input.latencies.filter((_, i) => i % step === 0);
  const color = { field: 'phase', type: 'nominal', title: 'load' } as const;
  const time = {
    field: 't',
    type: 'quantitative',
    title: 'seconds since the first order',
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: input.title,
    vconcat: [
      {
        title: 'End-to-end latency (OrderPlaced → outcome) over time',
        width: 720,
        height: 220,
        data: { values: points },
        mark: { type: 'point', size: 8, opacity: 0.5, filled: true },
        encoding: {
          x: time,
          y: { field: 'ms', type: 'quantitative', title: 'latency ms' },
          color,
        },
      },
      {
        title: 'Latency distribution',
        width: 720,
        height: 160,
        data: { values: input.latencies },
        mark: 'bar',
        encoding: {
          x: { field: 'ms', type: 'quantitative', bin: { maxbins: 60 }, title: 'latency ms' },
          y: { aggregate: 'count', type: 'quantitative', title: 'orders' },
          color,
        },
      },
      {
        title: 'Lag of every service group (committed vs log end), once a second',
        width: 720,
        height: 140,
        data: { values: input.lag },
        mark: { type: 'line', point: true },
        encoding: { x: time, y: { field: 'total', type: 'quantitative', title: 'records' } },
      },
    ],
  };
}

/** Renders the chart to SVG in Node: no browser, no canvas. */
export async function renderChart(input: ChartInput): Promise<string> {
  const view = new View(parse(compile(chartSpec(input)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
