/*
 * Measured traffic reduced to views: per service, each source cluster's split over destination clusters next to
 * the expected split, request rate, 5xx ratio and local vs cross-cluster latency; and the mesh-wide
 * cluster-to-cluster matrix.
 */
import type { Locality } from '../types/snapshot';
import { compareStrings } from '../util/guards';
import type { ExpectedSplit } from './expectedSplit';
import { histogramQuantile, mergeBuckets } from './histogram';
import {
  type ClusterTrafficEdge,
  DEFAULT_TRAFFIC_THRESHOLDS,
  type LatencyHistogram,
  type LatencySummary,
  type ServiceTrafficView,
  TRAFFIC_WINDOW_SECONDS,
  type TrafficData,
  type TrafficDestinationView,
  type TrafficEdge,
  type TrafficSourceView,
  type TrafficThresholds,
} from './types';

export interface ServiceTrafficOptions {
  /** The expected split from a source cluster (e.g. expectedSplitByCluster over the snapshot). */
  expected?: (sourceCluster: string) => ExpectedSplit | undefined;
  /** The localities of a cluster, for display. */
  localities?: (cluster: string) => Locality[];
  thresholds?: Partial<TrafficThresholds>;
}

export function serviceKey(s: { namespace: string; service: string }): string {
  return `${s.namespace}/${s.service}`;
}

/** Every service that has traffic in the data, sorted. */
export function servicesInTraffic(
  traffic: TrafficData,
): Array<{ namespace: string; name: string }> {
  const seen = new Map<string, { namespace: string; name: string }>();
  for (const e of [...traffic.edges, ...traffic.histograms]) {
    seen.set(serviceKey(e), { namespace: e.namespace, name: e.service });
  }
  return [...seen.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, s]) => s);
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** Percentiles of the summed histograms; undefined fields when there were no observations. */
export function latencySummary(
  histograms: ReadonlyArray<LatencyHistogram>,
): LatencySummary {
  const merged = mergeBuckets(histograms.map(h => h.buckets));
  const total =
    merged.length && merged[merged.length - 1].le === Number.POSITIVE_INFINITY
      ? merged[merged.length - 1].count
      : 0;
  const p50 = histogramQuantile(0.5, merged);
  const p95 = histogramQuantile(0.95, merged);
  return {
    requests: Math.round(total),
    ...(p50 !== undefined ? { p50: round(p50, 1) } : {}),
    ...(p95 !== undefined ? { p95: round(p95, 1) } : {}),
  };
}

/**
 * Compares a source's measured requests per destination cluster with the expected split. Destinations that
 * appear on either side are listed; deviations are in percentage points.
 */
export function compareSplit(
  requestsByDestination: ReadonlyMap<string, { requests: number }>,
  expected: ExpectedSplit | undefined,
): Array<{
  cluster: string;
  actualShare: number;
  expectedShare?: number;
  deviation?: number;
}> {
  const total = [...requestsByDestination.values()].reduce(
    (s, d) => s + d.requests,
    0,
  );
  const usable = expected && !expected.noHealthyUpstream ? expected : undefined;
  const clusters = new Set([
    ...requestsByDestination.keys(),
    ...Object.keys(usable?.shares ?? {}),
  ]);
  return [...clusters].sort(compareStrings).map(cluster => {
    const actualShare =
      100 * ratio(requestsByDestination.get(cluster)?.requests ?? 0, total);
    if (!usable) return { cluster, actualShare };
    const expectedShare = usable.shares[cluster] ?? 0;
    return {
      cluster,
      actualShare,
      expectedShare,
      deviation: actualShare - expectedShare,
    };
  });
}

/** The traffic view of one service. */
export function serviceTrafficView(
  traffic: TrafficData,
  service: { namespace: string; name: string },
  options: ServiceTrafficOptions = {},
): ServiceTrafficView {
  const thresholds = { ...DEFAULT_TRAFFIC_THRESHOLDS, ...options.thresholds };
  const seconds = TRAFFIC_WINDOW_SECONDS[traffic.window] ?? 300;
  const mine = (e: { namespace: string; service: string }) =>
    e.namespace === service.namespace && e.service === service.name;
  const edges = traffic.edges.filter(mine);
  const histograms = traffic.histograms.filter(mine);

  const bySource = new Map<string, Map<string, TrafficEdge>>();
  for (const e of edges) {
    const dests = bySource.get(e.sourceCluster) ?? new Map();
    const prev = dests.get(e.destinationCluster);
    dests.set(
      e.destinationCluster,
      prev
        ? {
            ...prev,
            requests: prev.requests + e.requests,
            errors: prev.errors + e.errors,
          }
        : e,
    );
    bySource.set(e.sourceCluster, dests);
  }

  const sources: TrafficSourceView[] = [...bySource.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([source, dests]) => {
      const requests = [...dests.values()].reduce((s, d) => s + d.requests, 0);
      const expected = options.expected?.(source);
      const compared = compareSplit(dests, expected);
      const destinations: TrafficDestinationView[] = compared.map(c => {
        const edge = dests.get(c.cluster);
        return {
          cluster: c.cluster,
          local: c.cluster === source,
          requestsPerSecond: round((edge?.requests ?? 0) / seconds),
          actualShare: round(c.actualShare, 1),
          ...(c.expectedShare !== undefined
            ? { expectedShare: round(c.expectedShare, 1) }
            : {}),
          ...(c.deviation !== undefined
            ? { deviation: round(c.deviation, 1) }
            : {}),
          errorRatio: round(ratio(edge?.errors ?? 0, edge?.requests ?? 0), 5),
        };
      });
      const deviations = compared
        .map(c => c.deviation)
        .filter((d): d is number => d !== undefined)
        .map(Math.abs);
      return {
        cluster: source,
        localities: options.localities?.(source) ?? [],
        requests: Math.round(requests),
        requestsPerSecond: round(requests / seconds),
        destinations,
        enoughVolume: requests >= thresholds.minRequests,
        ...(deviations.length
          ? { maxDeviation: round(Math.max(...deviations), 1) }
          : {}),
        ...(expected
          ? {
              expectation: {
                mode: expected.noHealthyUpstream
                  ? 'no healthy upstream'
                  : expected.mode,
                ...(expected.policy ? { policy: expected.policy } : {}),
                ...(expected.unreachable
                  ? { unreachable: expected.unreachable }
                  : {}),
              },
            }
          : {}),
      };
    });

  const requests = edges.reduce((s, e) => s + e.requests, 0);
  const errors = edges.reduce((s, e) => s + e.errors, 0);
  const cross = edges.filter(e => e.sourceCluster !== e.destinationCluster);
  const crossRequests = cross.reduce((s, e) => s + e.requests, 0);
  const crossErrors = cross.reduce((s, e) => s + e.errors, 0);
  return {
    namespace: service.namespace,
    name: service.name,
    requests: Math.round(requests),
    requestsPerSecond: round(requests / seconds),
    errorRatio: round(ratio(errors, requests), 5),
    crossCluster: {
      requests: Math.round(crossRequests),
      requestsPerSecond: round(crossRequests / seconds),
      errorRatio: round(ratio(crossErrors, crossRequests), 5),
    },
    latency: {
      local: latencySummary(
        histograms.filter(h => h.sourceCluster === h.destinationCluster),
      ),
      crossCluster: latencySummary(
        histograms.filter(h => h.sourceCluster !== h.destinationCluster),
      ),
    },
    sources,
  };
}

/** Requests between each pair of clusters, all services together, sorted by source then destination. */
export function clusterTrafficEdges(
  traffic: TrafficData,
): ClusterTrafficEdge[] {
  const seconds = TRAFFIC_WINDOW_SECONDS[traffic.window] ?? 300;
  const pairs = new Map<
    string,
    { source: string; destination: string; requests: number; errors: number }
  >();
  for (const e of traffic.edges) {
    const key = `${e.sourceCluster}\u0000${e.destinationCluster}`;
    const p = pairs.get(key) ?? {
      source: e.sourceCluster,
      destination: e.destinationCluster,
      requests: 0,
      errors: 0,
    };
    p.requests += e.requests;
    p.errors += e.errors;
    pairs.set(key, p);
  }
  return [...pairs.values()]
    .sort(
      (a, b) =>
        compareStrings(a.source, b.source) ||
        compareStrings(a.destination, b.destination),
    )
    .map(p => ({
      sourceCluster: p.source,
      destinationCluster: p.destination,
      requests: Math.round(p.requests),
      requestsPerSecond: round(p.requests / seconds),
      errorRatio: round(ratio(p.errors, p.requests), 5),
    }));
}
