/*
 * Traffic for the demo mesh (packages/kube-sim/scenarios/demo) that follows its traffic policies, i.e. what the
 * locality simulation predicts for each client cluster, so the demo raises no MESH080/081:
 * - product-service: DestinationRule `distribute` from us-east-1/* → us-east-1a 70, us-east-1b 20, eu-west-1 10,
 *   so cluster1 and cluster2 clients split 70/20/10; cluster3 (eu-west-1) matches no `from` and spreads by
 *   endpoint count, 3/2/2 over cluster1/2/3;
 * - storefront, inventory, payments: the mesh-wide failover rule keeps calls in the client's zone. One of the two
 *   inventory pods in cluster2 is not ready, so that zone's priority is only 70% healthy (1.4 × 1/2) and 30%
 *   of cluster2's calls spill over to cluster1; cluster3 has no inventory endpoints, so its calls go to the two
 *   us-east-1 clusters by locality weight × availability (2 × 100 : 2 × 70, i.e. 59/41).
 * Latency grows with distance (same cluster < same region < other region), 0.2% of calls answer 5xx.
 */
import type { TrafficFlowSpec } from './trafficGenerator';

const REGION: Record<string, string> = {
  cluster1: 'us-east-1',
  cluster2: 'us-east-1',
  cluster3: 'eu-west-1',
};

/** Median and p95 (ms) of a call from one cluster to another. */
export function demoLatency(source: string, destination: string) {
  if (source === destination) return { median: 12, p95: 40 };
  if (REGION[source] === REGION[destination]) return { median: 16, p95: 55 };
  return { median: 40, p95: 90 };
}

function flow(
  namespace: string,
  service: string,
  sourceCluster: string,
  sourceWorkload: string,
  rps: number,
  split: Record<string, number>,
): TrafficFlowSpec {
  return {
    namespace,
    service,
    sourceCluster,
    sourceWorkload,
    rps,
    split,
    errorRatio: 0.002,
    latency: Object.fromEntries(
      Object.keys(split).map(d => [d, demoLatency(sourceCluster, d)]),
    ),
  };
}

const EAST_SPLIT = { cluster1: 70, cluster2: 20, cluster3: 10 };

/** The demo's traffic, following its DestinationRules. */
export function demoTraffic(): TrafficFlowSpec[] {
  return [
    flow(
      'global-svc',
      'product-service',
      'cluster1',
      'storefront',
      40,
      EAST_SPLIT,
    ),
    flow(
      'global-svc',
      'product-service',
      'cluster2',
      'storefront',
      24,
      EAST_SPLIT,
    ),
    flow('global-svc', 'product-service', 'cluster3', 'storefront', 14, {
      cluster1: 3,
      cluster2: 2,
      cluster3: 2,
    }),
    flow('global-svc', 'storefront', 'cluster1', 'istio-ingressgateway', 30, {
      cluster1: 100,
    }),
    flow('global-svc', 'storefront', 'cluster3', 'istio-ingressgateway', 12, {
      cluster3: 100,
    }),
    flow('global-svc', 'inventory', 'cluster1', 'product-service', 20, {
      cluster1: 100,
    }),
    flow('global-svc', 'inventory', 'cluster2', 'product-service', 12, {
      cluster1: 30,
      cluster2: 70,
    }),
    flow('global-svc', 'inventory', 'cluster3', 'product-service', 7, {
      cluster1: 59,
      cluster2: 41,
    }),
    flow('payments', 'payments', 'cluster1', 'storefront', 8, {
      cluster1: 100,
    }),
    flow('payments', 'payments', 'cluster2', 'storefront', 5, {
      cluster2: 100,
    }),
  ];
}

/**
 * The demo's traffic, except that product-service clients in cluster1 ignore the DestinationRule and spread
 * evenly over the three clusters (e.g. the rule never reached their sidecars): MESH080.
 */
export function demoTrafficIgnoringDestinationRule(): TrafficFlowSpec[] {
  return demoTraffic().map(f =>
    f.service === 'product-service' && f.sourceCluster === 'cluster1'
      ? flow('global-svc', 'product-service', 'cluster1', 'storefront', 40, {
          cluster1: 34,
          cluster2: 33,
          cluster3: 33,
        })
      : f,
  );
}
