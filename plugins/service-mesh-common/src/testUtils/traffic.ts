/*
 * Test helpers: TrafficData for flows described as "N requests from a cluster, split like this". Not exported
 * from the package index.
 */
import type {
  LatencyHistogram,
  TrafficData,
  TrafficEdge,
  TrafficWindow,
} from '../traffic/types';

/** Istio's default buckets for istio_request_duration_milliseconds (ms). */
export const ISTIO_DURATION_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000, 600000, 1800000, 3600000,
];

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2));
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) *
      t +
      0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Share of a log-normal latency (given median and p95, ms) at or below `ms`. */
export function latencyCdf(ms: number, median: number, p95: number): number {
  if (ms <= 0) return 0;
  const sigma = Math.max(Math.log(p95 / median) / 1.6448536, 1e-6);
  return normalCdf(Math.log(ms / median) / sigma);
}

export interface TestFlow {
  /** `namespace/name` */
  service: string;
  source: string;
  /** Requests in the window per destination cluster. */
  requests: Record<string, number>;
  /** 5xx ratio per destination cluster (default 0). */
  errorRatio?: Record<string, number>;
  /** Latency per destination cluster (default: 10 ms median, 30 ms p95). */
  latency?: Record<string, { median: number; p95: number }>;
}

export function testTraffic(
  window: TrafficWindow,
  flows: TestFlow[],
  measuredAt = '2026-01-20T10:00:00.000Z',
): TrafficData {
  const edges: TrafficEdge[] = [];
  const histograms: LatencyHistogram[] = [];
  for (const flow of flows) {
    const [namespace, service] = flow.service.split('/');
    for (const [destination, requests] of Object.entries(flow.requests)) {
      edges.push({
        namespace,
        service,
        sourceCluster: flow.source,
        destinationCluster: destination,
        requests,
        errors: Math.round(requests * (flow.errorRatio?.[destination] ?? 0)),
      });
      const { median, p95 } = flow.latency?.[destination] ?? {
        median: 10,
        p95: 30,
      };
      histograms.push({
        namespace,
        service,
        sourceCluster: flow.source,
        destinationCluster: destination,
        buckets: [
          ...ISTIO_DURATION_BUCKETS.map(le => ({
            le: String(le),
            count: Math.round(requests * latencyCdf(le, median, p95)),
          })),
          { le: '+Inf', count: requests },
        ],
      });
    }
  }
  return { window, measuredAt, edges, histograms };
}

/** `requests` split by percent weights. */
export function split(
  requests: number,
  weights: Record<string, number>,
): Record<string, number> {
  const total = Object.values(weights).reduce((s, w) => s + w, 0);
  return Object.fromEntries(
    Object.entries(weights).map(([k, w]) => [
      k,
      Math.round((requests * w) / total),
    ]),
  );
}
