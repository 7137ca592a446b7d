/*
 * Traffic for the demo mesh (packages/kube-sim/scenarios/demo) that follows its traffic policies and its
 * reachability: each flow's split is the prediction of expectedSplitByCluster (the locality simulation over what
 * the client cluster can reach) on the demo's snapshot, so the demo raises no MESH080/081 and no request is
 * measured where the mesh cannot send one. With the demo as it is:
 * - product-service: the DestinationRule distributes from us-east-1/* 70/20/10 to us-east-1a/us-east-1b/eu-west-1,
 *   but cluster3 (eu-west-1) is cut off for cluster1 (its istiod reports cluster3 as `timeout`, MESH012; and were
 *   it synced, the east-west gateway has no address, MESH032) and for cluster2 (no remote secret, MESH010): both
 *   send 77.8/22.2 to cluster1/cluster2; cluster3 (eu-west-1) matches no `from` and spreads by endpoint count, 3/2/2;
 * - storefront, inventory, payments: the mesh-wide failover rule keeps calls in the client's zone. One of the two
 *   inventory pods in cluster2 is not ready, so 30% of cluster2's calls spill over to cluster1; cluster3 has no
 *   inventory endpoints, so its calls go to the two us-east-1 clusters (59/41).
 * Latency grows with distance (same cluster < same region < other region), 0.2% of calls answer 5xx, and any
 * share the prediction marks as failing (a reachable-but-broken destination without outlier detection) answers
 * 503 every time.
 */
import {
  expectedSplitByCluster,
  MeshSnapshot,
} from '@internal/plugin-service-mesh-common';
import { demoMesh } from '@internal/plugin-service-mesh-common/testUtils';
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

/** Who calls what, how often: [namespace, service, client cluster, client workload, requests per second]. */
const CALLS: Array<[string, string, string, string, number]> = [
  ['global-svc', 'product-service', 'cluster1', 'storefront', 40],
  ['global-svc', 'product-service', 'cluster2', 'storefront', 24],
  ['global-svc', 'product-service', 'cluster3', 'storefront', 14],
  ['global-svc', 'storefront', 'cluster1', 'istio-ingressgateway', 30],
  ['global-svc', 'storefront', 'cluster3', 'istio-ingressgateway', 12],
  ['global-svc', 'inventory', 'cluster1', 'product-service', 20],
  ['global-svc', 'inventory', 'cluster2', 'product-service', 12],
  ['global-svc', 'inventory', 'cluster3', 'product-service', 7],
  ['payments', 'payments', 'cluster1', 'storefront', 8],
  ['payments', 'payments', 'cluster2', 'storefront', 5],
];

const BACKGROUND_5XX = 0.002;

/** One flow whose split is the prediction over `snapshot`; undefined when the simulation has nothing to say. */
function predictedFlow(
  snapshot: MeshSnapshot,
  [
    namespace,
    service,
    sourceCluster,
    sourceWorkload,
    rps,
  ]: (typeof CALLS)[number],
): TrafficFlowSpec | undefined {
  const expected = expectedSplitByCluster(
    snapshot,
    { namespace, name: service },
    sourceCluster,
  );
  if (!expected || expected.noHealthyUpstream) return undefined;
  const split = Object.fromEntries(
    Object.entries(expected.shares).filter(([, share]) => share > 0),
  );
  const errorRatio = Object.fromEntries(
    Object.keys(split).map(d => {
      const failing = expected.failing?.[d] ?? 0;
      return [d, failing > 0 ? failing / split[d] : BACKGROUND_5XX];
    }),
  );
  return {
    namespace,
    service,
    sourceCluster,
    sourceWorkload,
    rps,
    split,
    errorRatio,
    latency: Object.fromEntries(
      Object.keys(split).map(d => [d, demoLatency(sourceCluster, d)]),
    ),
  };
}

/** The demo's traffic: the predicted split of every call (over the demo snapshot by default). */
export function demoTraffic(
  snapshot: MeshSnapshot = demoMesh(),
): TrafficFlowSpec[] {
  return CALLS.flatMap(call => predictedFlow(snapshot, call) ?? []);
}

/**
 * The demo's traffic, except that product-service clients in cluster1 get no DestinationRule (they never reached
 * their sidecars): no distribute and no outlier detection, so they spread round robin over every endpoint they
 * have, 3/2 over cluster1 and cluster2 (cluster3 is not discovered): MESH080.
 */
export function demoTrafficIgnoringDestinationRule(): TrafficFlowSpec[] {
  const withoutRules = demoMesh();
  for (const c of withoutRules.clusters)
    if (c.name === 'cluster1' && c.data) c.data.destinationRules = [];
  const ignoring = demoTraffic(withoutRules).find(
    f => f.service === 'product-service' && f.sourceCluster === 'cluster1',
  )!;
  return demoTraffic().map(f =>
    f.service === 'product-service' && f.sourceCluster === 'cluster1'
      ? ignoring
      : f,
  );
}
