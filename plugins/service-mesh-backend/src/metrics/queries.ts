/*
 * The PromQL the traffic views need, per window: one query for request counts and one for the latency
 * histogram, each covering every service, grouped by labels (never a query per service or per cluster). Local
 * and cross-cluster calls are told apart afterwards by comparing source_cluster with destination_cluster, which
 * PromQL cannot do (`source_cluster!="destination_cluster"` compares with the literal string).
 */
import type {
  LatencyHistogram,
  TrafficEdge,
  TrafficWindow,
} from '@internal/plugin-service-mesh-common';
import type { InstantSample } from './PrometheusClient';

/** Labels of Istio's standard metrics that identify a flow (client-side view: `reporter="source"`). */
const FLOW_LABELS = [
  'source_cluster',
  'destination_cluster',
  'destination_service_namespace',
  'destination_service_name',
  'destination_service',
];

export function requestsQuery(window: TrafficWindow): string {
  return `sum by (${[...FLOW_LABELS, 'response_code'].join(
    ', ',
  )}) (increase(istio_requests_total{reporter="source"}[${window}]))`;
}

export function latencyQuery(window: TrafficWindow): string {
  return `sum by (${[...FLOW_LABELS, 'le'].join(
    ', ',
  )}) (increase(istio_request_duration_milliseconds_bucket{reporter="source"}[${window}]))`;
}

/**
 * Namespace and name of the destination service: the `destination_service_name`/`_namespace` labels, else the
 * FQDN in `destination_service` (`name.namespace.svc.<domain>`). Undefined for traffic that left the mesh.
 */
function destinationService(
  metric: Record<string, string>,
): { namespace: string; service: string } | undefined {
  const known = (v: string | undefined) =>
    v && v !== 'unknown' ? v : undefined;
  let namespace = known(metric.destination_service_namespace);
  let service = known(metric.destination_service_name);
  const fqdn = known(metric.destination_service);
  if ((!namespace || !service) && fqdn) {
    const [name, ns, svc] = fqdn.split('.');
    if (svc === 'svc' && name && ns) {
      service ??= name;
      namespace ??= ns;
    }
  }
  return namespace && service ? { namespace, service } : undefined;
}

type ClusterName = (id: string) => string;

function flowKey(
  s: { namespace: string; service: string },
  source: string,
  destination: string,
) {
  return `${s.namespace}\u0000${s.service}\u0000${source}\u0000${destination}`;
}

function clusters(metric: Record<string, string>, name: ClusterName) {
  return {
    sourceCluster: name(metric.source_cluster || 'unknown'),
    destinationCluster: name(metric.destination_cluster || 'unknown'),
  };
}

/** Request counts (and 5xx) per service and cluster pair. */
export function parseRequests(
  samples: InstantSample[],
  clusterName: ClusterName,
): TrafficEdge[] {
  const edges = new Map<string, TrafficEdge>();
  for (const { metric, value } of samples) {
    const svc = destinationService(metric);
    if (!svc || value <= 0) continue;
    const pair = clusters(metric, clusterName);
    const key = flowKey(svc, pair.sourceCluster, pair.destinationCluster);
    const edge = edges.get(key) ?? {
      ...svc,
      ...pair,
      requests: 0,
      errors: 0,
    };
    edge.requests += value;
    if ((metric.response_code ?? '').startsWith('5')) edge.errors += value;
    edges.set(key, edge);
  }
  return [...edges.values()];
}

/** Cumulative latency buckets per service and cluster pair. */
export function parseHistograms(
  samples: InstantSample[],
  clusterName: ClusterName,
): LatencyHistogram[] {
  const histograms = new Map<
    string,
    LatencyHistogram & { byLe: Map<string, number> }
  >();
  for (const { metric, value } of samples) {
    const svc = destinationService(metric);
    if (!svc || metric.le === undefined) continue;
    const pair = clusters(metric, clusterName);
    const key = flowKey(svc, pair.sourceCluster, pair.destinationCluster);
    const h = histograms.get(key) ?? {
      ...svc,
      ...pair,
      buckets: [],
      byLe: new Map<string, number>(),
    };
    // `le` may be spelled `1000` or `1000.0` by different exporters: normalise through the number.
    const le = metric.le === '+Inf' ? '+Inf' : String(Number(metric.le));
    if (le === 'NaN') continue;
    h.byLe.set(le, (h.byLe.get(le) ?? 0) + Math.max(0, value));
    histograms.set(key, h);
  }
  return [...histograms.values()]
    .map(({ byLe, ...h }) => ({
      ...h,
      buckets: [...byLe.entries()].map(([le, count]) => ({ le, count })),
    }))
    .filter(h => h.buckets.some(b => b.le === '+Inf' && b.count > 0));
}
