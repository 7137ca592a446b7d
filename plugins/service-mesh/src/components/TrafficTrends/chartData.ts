import type { TrafficTimeSeries } from '@internal/plugin-service-mesh-common';

export type TrendMetric = TrafficTimeSeries['metric'];

/** One chart's data in uPlot's column form: shared x (unix seconds), one y column per cluster pair. */
export interface ChartData {
  labels: string[];
  columns: [number[], ...Array<Array<number | null>>];
}

/** The series of one metric aligned on the union of their time stamps (gaps are null: no line drawn). */
export function chartData(
  series: TrafficTimeSeries[],
  metric: TrendMetric,
): ChartData {
  const chosen = series.filter(s => s.metric === metric);
  const times = [...new Set(chosen.flatMap(s => s.points.map(p => p[0])))].sort(
    (a, b) => a - b,
  );
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = chosen.map(s => {
    const column: Array<number | null> = times.map(() => null);
    for (const [t, v] of s.points) column[index.get(t)!] = v;
    return column;
  });
  return {
    labels: chosen.map(s => `${s.source} → ${s.destination}`),
    columns: [times, ...columns],
  };
}

/** The last value of each line, for the text summary next to a chart. */
export function latest(
  data: ChartData,
): Array<{ label: string; value?: number }> {
  return data.labels.map((label, i) => {
    const column = data.columns[i + 1];
    for (let j = column.length - 1; j >= 0; j--) {
      if (column[j] !== null) return { label, value: column[j] as number };
    }
    return { label };
  });
}

export function formatValue(metric: TrendMetric, value?: number): string {
  if (value === undefined) return '—';
  if (metric === 'requestRate')
    return `${value.toFixed(value < 10 ? 2 : 1)} req/s`;
  if (metric === 'errorRatio') return `${(value * 100).toFixed(2)}% 5xx`;
  return `${Math.round(value)} ms p95`;
}
