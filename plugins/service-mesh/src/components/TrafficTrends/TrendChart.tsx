/*
 * One time-series chart with uPlot (small, canvas-based, maintained). This module is loaded lazily, so uPlot is
 * in no chunk of the app's initial load.
 */
import { useEffect, useRef } from 'react';
import { Theme, useTheme } from '@material-ui/core/styles';
import '@backstage/theme';
import UPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ChartData, formatValue, TrendMetric } from './chartData';

/** Line colours from the theme, one per cluster pair (cycled). */
function lineColours(theme: Theme): string[] {
  const p = theme.palette;
  return [
    p.primary.main,
    p.status.ok,
    p.status.warning,
    p.status.error,
    p.secondary.main,
    p.status.running,
    p.status.aborted,
  ];
}

export default function TrendChart(props: {
  data: ChartData;
  metric: TrendMetric;
  title: string;
  width: number;
}) {
  const theme = useTheme<Theme>();
  const target = useRef<HTMLDivElement>(null);
  const { data, metric, title, width } = props;

  useEffect(() => {
    if (!target.current) return undefined;
    const colours = lineColours(theme);
    const axis = {
      stroke: theme.palette.text.secondary,
      grid: { stroke: theme.palette.divider },
      ticks: { stroke: theme.palette.divider },
    };
    const chart = new UPlot(
      {
        title,
        width,
        height: 220,
        series: [
          {},
          ...data.labels.map((label, i) => ({
            label,
            stroke: colours[i % colours.length],
            width: 2,
            spanGaps: false,
            value: (_u: UPlot, v: number | null) =>
              formatValue(metric, v ?? undefined),
          })),
        ],
        axes: [
          axis,
          {
            ...axis,
            size: 70,
            values: (_u: UPlot, ticks: number[]) =>
              ticks.map(v => formatValue(metric, v).split(' ')[0]),
          },
        ],
        scales: {
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
      },
      data.columns as UPlot.AlignedData,
      target.current,
    );
    return () => chart.destroy();
  }, [data, metric, title, width, theme]);

  return <div ref={target} aria-hidden="true" />;
}
