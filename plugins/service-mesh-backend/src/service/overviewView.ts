/*
 * The platform views of the snapshot: the cluster list and the mesh overview. Pure functions of the snapshot.
 */
import {
  ClusterMeshStatus,
  ClusterSnapshot,
  ClusterSummary,
  assessEastWestGateways,
  eastWestGatewayHealth,
  EastWestGatewayHealth,
  isMultiNetwork,
  meshReachability,
  MeshSnapshot,
  OverviewResponse,
  resolveRevision,
  ServiceMeshResource,
  unreadableInputs,
  compareStrings,
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
    reachability: meshReachability(snapshot),
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
    revisionTags: [...(data?.revisionTags ?? [])]
      .sort((a, b) => compareStrings(a.tag, b.tag))
      .map(t => {
        const resolved = resolveRevision(data!, t.tag);
        return {
          tag: t.tag,
          ...(resolved.revision ? { revision: resolved.revision } : {}),
          runs: resolved.controlPlanes.length > 0,
        };
      }),
  };
}

/**
 * The east-west gateway health shown for a cluster: the same assessment the gateway checks (MESH031–035) report
 * from, so the badge and the findings agree.
 */
export function gatewayHealth(cluster: ClusterSnapshot): EastWestGatewayHealth {
  return eastWestGatewayHealth(
    cluster.data
      ? assessEastWestGateways(
          cluster.data,
          !unreadableInputs(cluster.data).has('gateways'),
        )
      : undefined,
  );
}
