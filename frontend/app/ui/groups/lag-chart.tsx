'use client';

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { LagSample } from '../../lib/definitions';
import { formatClock } from '../../lib/format';
import { groupColor } from '../explorer/lanes';
import { Empty } from '../states';

export function LagChart({ history }: { history: LagSample[] }) {
  if (history.length === 0) {
    return (
      <Empty>
        <p>
          No lag samples yet: the gateway samples every group every 2 s from the time it started.
        </p>
      </Empty>
    );
  }
  const topics = [...new Set(history.flatMap((sample) => Object.keys(sample.byTopic)))].sort();
  const data = history.map((sample) => ({
    at: formatClock(sample.at).slice(0, 8),
    total: sample.lag,
    ...sample.byTopic,
  }));
  const last = history.at(-1)!;
  return (
    <div
      className="chart"
      role="img"
      aria-label={`Lag over the last ${history.length} samples; now ${last.lag} records in total`}
    >
      <ResponsiveContainer
        width="100%"
        height="100%"
        initialDimension={{ width: 600, height: 280 }}
      >
        <LineChart data={data} margin={{ left: 0, right: 16, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" minTickGap={40} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={48} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          <Line
            type="monotone"
            dataKey="total"
            name="total lag"
            stroke="#161b26"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          {topics.map((topic, index) => (
            <Line
              key={topic}
              type="monotone"
              dataKey={topic}
              stroke={groupColor(index)}
              dot={false}
              strokeDasharray="4 2"
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
