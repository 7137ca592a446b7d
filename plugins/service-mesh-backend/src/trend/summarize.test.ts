import type { Finding } from '@internal/plugin-service-mesh-common';
import { summarizeFindings, thinPoints } from './summarize';

const finding = (
  code: string,
  severity: Finding['severity'],
  clusters: string[],
) =>
  ({ code, severity, clusters, title: '', message: '', hint: '' } as Finding);

describe('summarizeFindings', () => {
  it('counts by severity, code and each cluster a finding names', () => {
    const at = '2026-12-07T12:00:00.000Z';
    expect(
      summarizeFindings(at, [
        finding('MESH010', 'error', ['cluster1', 'cluster2']),
        finding('MESH010', 'error', ['cluster2']),
        finding('MESH003', 'warning', []),
      ]),
    ).toEqual({
      at,
      bySeverity: { error: 2, warning: 1, info: 0 },
      byCode: { MESH010: 2, MESH003: 1 },
      byCluster: {
        cluster1: { error: 1, warning: 0, info: 0 },
        cluster2: { error: 2, warning: 0, info: 0 },
      },
    });
  });
});

describe('thinPoints', () => {
  const at = (minute: number) => ({
    ...summarizeFindings(new Date(minute * 60_000).toISOString(), []),
  });

  it('keeps short histories whole', () => {
    const points = [at(0), at(1)];
    expect(thinPoints(points, 5)).toBe(points);
  });

  it('keeps the last point of each time slice, the newest point included', () => {
    const points = Array.from({ length: 100 }, (_, i) => at(i));
    const thinned = thinPoints(points, 10);
    expect(thinned).toHaveLength(10);
    expect(thinned[thinned.length - 1]).toBe(points[99]);
    expect(thinned.map(p => Date.parse(p.at))).toEqual(
      [...thinned.map(p => Date.parse(p.at))].sort((a, b) => a - b),
    );
  });
});
