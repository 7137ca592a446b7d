/*
 * One time-series chart with uPlot (small, canvas-based, maintained). This module is loaded lazily, so uPlot is
 * in no chunk of the app's initial load.
 */
import { useEffect, useRef } from 'react';
import { Theme, useTheme } from '@material-ui/core/styles';
import '@backstage/theme';
import UPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ChartData } from './chartData';

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

/** Which theme colours the lines take: cycled ones, or error/warning/info for finding counts by severity. */
export type ChartPalette = 'series' | 'severity';

function coloursOf(theme: Theme, palette: ChartPalette): string[] {
  if (palette === 'series') return lineColours(theme);
  const p = theme.palette;
  return [p.status.error, p.status.warning, p.info.main];
}

export default function TrendChart(props: {
  data: ChartData;
  /** A value as shown in the legend; the axis shows its first word. */
  format: (value?: number) => string;
  title: string;
  width: number;
  palette?: ChartPalette;
  /** Steps instead of straight lines between points (counts that change at a snapshot). */
  stepped?: boolean;
}) {
  const theme = useTheme<Theme>();
  const target = useRef<HTMLDivElement>(null);
  const { data, format, title, width, palette = 'series', stepped } = props;

  useEffect(() => {
    if (!target.current) return undefined;
    const colours = coloursOf(theme, palette);
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
            ...(stepped ? { paths: UPlot.paths.stepped!({ align: 1 }) } : {}),
            value: (_u: UPlot, v: number | null) => format(v ?? undefined),
          })),
        ],
        axes: [
          axis,
          {
            ...axis,
            size: 70,
            values: (_u: UPlot, ticks: number[]) =>
              ticks.map(v => format(v).split(' ')[0]),
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
  }, [data, format, title, width, theme, palette, stepped]);

  return <div ref={target} aria-hidden="true" />;
}
