import type {
  FindingSeverity,
  FindingsTrendPoint,
} from '@internal/plugin-service-mesh-common';
import type { ChartData } from '../TrafficTrends';

export const SEVERITIES: FindingSeverity[] = ['error', 'warning', 'info'];

/** The counts by severity in uPlot's column form (x in unix seconds), optionally of one cluster only. */
export function trendData(
  points: FindingsTrendPoint[],
  labels: Record<FindingSeverity, string>,
  cluster?: string,
): ChartData {
  const counts = (p: FindingsTrendPoint) =>
    cluster
      ? p.byCluster[cluster] ?? { error: 0, warning: 0, info: 0 }
      : p.bySeverity;
  return {
    labels: SEVERITIES.map(s => labels[s]),
    columns: [
      points.map(p => Date.parse(p.at) / 1000),
      ...SEVERITIES.map(s => points.map(p => counts(p)[s])),
    ],
  };
}

/** The clusters named in any point, sorted. */
export function trendClusters(points: FindingsTrendPoint[]): string[] {
  return [...new Set(points.flatMap(p => Object.keys(p.byCluster)))].sort();
}
