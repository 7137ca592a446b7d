/*
 * One trend point per published snapshot: its findings counted by severity, code and cluster. Pure.
 */
import type {
  Finding,
  FindingsTrendPoint,
  SeverityCounts,
} from '@internal/plugin-service-mesh-common';

const zero = (): SeverityCounts => ({ error: 0, warning: 0, info: 0 });

export function summarizeFindings(
  generatedAt: string,
  findings: readonly Finding[],
): FindingsTrendPoint {
  const point: FindingsTrendPoint = {
    at: generatedAt,
    bySeverity: zero(),
    byCode: {},
    byCluster: {},
  };
  for (const f of findings) {
    point.bySeverity[f.severity]++;
    point.byCode[f.code] = (point.byCode[f.code] ?? 0) + 1;
    for (const cluster of new Set(f.clusters)) {
      (point.byCluster[cluster] ??= zero())[f.severity]++;
    }
  }
  return point;
}

/** At most `max` points, evenly over time: the last point of each of `max` equal time slices. */
export function thinPoints(
  points: FindingsTrendPoint[],
  max: number,
): FindingsTrendPoint[] {
  if (points.length <= max) return points;
  const first = Date.parse(points[0].at);
  const span = Date.parse(points[points.length - 1].at) - first || 1;
  const bySlice = new Map<number, FindingsTrendPoint>();
  for (const p of points) {
    const slice = Math.min(
      max - 1,
      Math.floor(((Date.parse(p.at) - first) / span) * max),
    );
    bySlice.set(slice, p);
  }
  return [...bySlice.values()];
}
