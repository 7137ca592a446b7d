/*
 * The platform views of the snapshot: the cluster list and the mesh overview. Pure functions of the snapshot.
 */
import {
  ClusterMeshStatus,
  ClusterSnapshot,
  ClusterSummary,
  CROSS_NETWORK_PORT,
  EastWestGatewayHealth,
  isMultiNetwork,
  MeshSnapshot,
  OverviewResponse,
  ServiceMeshResource,
} from '@internal/plugin-service-mesh-common';
import type { StoredSnapshot } from '../snapshot/SnapshotStore';

export function clusterSummary(cluster: ClusterSnapshot): ClusterSummary {
  return {
    name: cluster.name,
    role: cluster.role,
    status: cluster.status,
    ...(cluster.error ? { error: cluster.error } : {}),
    ...(cluster.lastSyncedAt ? { lastSyncedAt: cluster.lastSyncedAt } : {}),
    ...(cluster.region ? { region: cluster.region } : {}),
    ...(cluster.network ? { network: cluster.network } : {}),
  };
}

export function buildOverview({
  snapshot,
  findings,
}: StoredSnapshot): OverviewResponse {
  const serviceMeshes = new Map<string, ServiceMeshResource>();
  for (const cluster of snapshot.clusters) {
    for (const mesh of cluster.data?.serviceMeshes ?? []) {
      if (!serviceMeshes.has(mesh.cluster))
        serviceMeshes.set(mesh.cluster, mesh);
    }
  }
  return {
    generatedAt: snapshot.generatedAt,
    ...(snapshot.managementCluster
      ? { managementCluster: snapshot.managementCluster }
      : {}),
    multiNetwork: safeMultiNetwork(snapshot),
    clusters: snapshot.clusters.map(c =>
      clusterStatus(c, serviceMeshes.get(c.name)),
    ),
    findings,
  };
}

function safeMultiNetwork(snapshot: MeshSnapshot): boolean {
  try {
    return isMultiNetwork(snapshot);
  } catch {
    return (
      new Set(
        snapshot.clusters.filter(c => c.role === 'member').map(c => c.network),
      ).size > 1
    );
  }
}

function clusterStatus(
  cluster: ClusterSnapshot,
  serviceMesh?: ServiceMeshResource,
): ClusterMeshStatus {
  const data = cluster.data;
  const meshConfig =
    data?.meshConfigs.find(m => m.revision === 'default') ??
    data?.meshConfigs[0];
  return {
    ...clusterSummary(cluster),
    ...(serviceMesh
      ? {
          serviceMesh: {
            name: serviceMesh.name,
            phase: serviceMesh.phase,
            synthesisPhase: serviceMesh.synthesisPhase,
            version: serviceMesh.version,
            desiredVersion: serviceMesh.desiredVersion,
            istioVersion: serviceMesh.istioVersion,
            meshGroup: serviceMesh.meshGroup,
          },
        }
      : {}),
    controlPlanes: (data?.controlPlanes ?? []).map(cp => ({
      revision: cp.revision,
      version: cp.version,
      readyReplicas: cp.readyReplicas,
      desiredReplicas: cp.desiredReplicas,
    })),
    ...(meshConfig?.meshId ? { meshId: meshConfig.meshId } : {}),
    ...(meshConfig?.trustDomain ? { trustDomain: meshConfig.trustDomain } : {}),
    eastWestGateway: gatewayHealth(cluster),
    ...(data?.rootCA?.fingerprint
      ? {
          rootCA: {
            fingerprint: data.rootCA.fingerprint,
            notAfter: data.rootCA.notAfter,
            subject: data.rootCA.subject,
          },
        }
      : {}),
    remoteSecrets: [
      ...new Set((data?.remoteSecrets ?? []).map(s => s.cluster)),
    ].sort(),
    localities: data?.nodes.byLocality ?? [],
    onboardedNamespaces: (data?.namespaces ?? [])
      .filter(n => n.onboarded)
      .map(n => n.name)
      .sort(),
    revisions: [
      ...new Set((data?.controlPlanes ?? []).map(cp => cp.revision)),
    ].sort(),
    ...(data?.istiod ? { istiod: data.istiod } : {}),
  };
}

/**
 * healthy: every desired replica ready, an external address and 15443 exposed; degraded: some replicas ready, or
 * ready but unusable by istiod (no address, no 15443); down: no ready replica; absent: no gateway.
 */
export function gatewayHealth(cluster: ClusterSnapshot): EastWestGatewayHealth {
  const gateways = cluster.data?.eastWestGateways ?? [];
  if (gateways.length === 0) {
    return {
      health: 'absent',
      readyReplicas: 0,
      desiredReplicas: 0,
      addresses: [],
      ports: [],
    };
  }
  // Several gateway Services (e.g. one per revision): report the one in the best state.
  const scored = gateways.map(g => {
    const usable =
      g.addresses.length > 0 &&
      g.ports.some(p => p.port === CROSS_NETWORK_PORT);
    let health: EastWestGatewayHealth['health'];
    if (g.readyReplicas === 0) health = 'down';
    else if (g.readyReplicas < g.desiredReplicas || !usable)
      health = 'degraded';
    else health = 'healthy';
    return {
      g,
      health,
      rank: { healthy: 0, degraded: 1, down: 2, absent: 3 }[health],
    };
  });
  scored.sort((a, b) => a.rank - b.rank);
  const { g, health } = scored[0];
  return {
    health,
    name: `${g.namespace}/${g.name}`,
    ...(g.network ? { network: g.network } : {}),
    readyReplicas: g.readyReplicas,
    desiredReplicas: g.desiredReplicas,
    addresses: g.addresses,
    ports: g.ports.map(p => p.port),
  };
}
