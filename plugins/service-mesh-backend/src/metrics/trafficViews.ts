/*
 * The traffic responses: an entity's services (actual split next to the expected one, rate, errors, latency)
 * and the mesh-wide cluster-to-cluster matrix. Without live data they carry the status and reason only.
 */
import {
  clusterLocalities,
  clusterTrafficEdges,
  EntityTrafficResponse,
  expectedSplitByCluster,
  Finding,
  MeshSnapshot,
  MeshTrafficResponse,
  serviceTrafficView,
  TrafficResponseBase,
  TrafficThresholds,
} from '@internal/plugin-service-mesh-common';
import type { TrafficResult } from './MeshTrafficService';

/** Bounds the response for an entity that matches a very wide selector (as the entity view does). */
const MAX_SERVICES = 25;

function base(
  result: TrafficResult,
  thresholds: TrafficThresholds,
): TrafficResponseBase {
  return {
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    window: result.window,
    generatedAt: result.generatedAt,
    ...(result.source ? { source: result.source } : {}),
    thresholds,
  };
}

function concerns(
  finding: Finding,
  services: Array<{ namespace: string; name: string }>,
) {
  return services.some(
    s =>
      finding.resource?.kind === 'Service' &&
      finding.resource.namespace === s.namespace &&
      finding.resource.name === s.name,
  );
}

export function buildEntityTraffic(options: {
  entityRef: string;
  services: Array<{ namespace: string; name: string }>;
  result: TrafficResult;
  snapshot: MeshSnapshot;
  thresholds: TrafficThresholds;
  /** MESH080/081 of the window for the whole mesh; those about the entity's services are kept. */
  findings: Finding[];
}): EntityTrafficResponse {
  const { result, snapshot, thresholds } = options;
  const services = options.services.slice(0, MAX_SERVICES);
  const response: EntityTrafficResponse = {
    ...base(result, thresholds),
    entityRef: options.entityRef,
    services: [],
    findings: [],
  };
  if (result.status !== 'ok' || !result.data) return response;
  const data = result.data;
  response.services = services.map(service =>
    serviceTrafficView(data, service, {
      thresholds,
      expected: source => expectedSplitByCluster(snapshot, service, source),
      localities: cluster => clusterLocalities(snapshot, cluster),
    }),
  );
  response.findings = options.findings.filter(f => concerns(f, services));
  return response;
}

export function buildMeshTraffic(options: {
  result: TrafficResult;
  snapshot: MeshSnapshot;
  thresholds: TrafficThresholds;
  findings: Finding[];
}): MeshTrafficResponse {
  const { result, snapshot, thresholds } = options;
  const response: MeshTrafficResponse = {
    ...base(result, thresholds),
    clusters: [],
    edges: [],
    findings: [],
  };
  if (result.status !== 'ok' || !result.data) return response;
  response.edges = clusterTrafficEdges(result.data);
  // Members in snapshot order first, then any other cluster the metrics name (e.g. `unknown`).
  const seen = new Set<string>();
  const clusters: string[] = [];
  const add = (name: string) => {
    if (!seen.has(name)) {
      seen.add(name);
      clusters.push(name);
    }
  };
  const inTraffic = new Set(
    response.edges.flatMap(e => [e.sourceCluster, e.destinationCluster]),
  );
  for (const c of snapshot.clusters) {
    if (c.role === 'member' || inTraffic.has(c.name)) add(c.name);
  }
  for (const name of [...inTraffic].sort()) add(name);
  response.clusters = clusters;
  response.findings = options.findings;
  return response;
}
