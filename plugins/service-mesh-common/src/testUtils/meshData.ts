/*
 * The smallest valid pieces of a snapshot, shared by the tests of every package, so that a new ClusterMeshData
 * key is added in one place instead of in every hand-built fixture.
 */
import type { ClusterMeshData, PolicyResource } from '../types/snapshot';

/** An empty ClusterMeshData, with the given keys set. */
export function emptyData(
  overrides: Partial<ClusterMeshData> = {},
): ClusterMeshData {
  return {
    serviceMeshes: [],
    controlPlanes: [],
    meshConfigs: [],
    revisionTags: [],
    injectors: [],
    eastWestGateways: [],
    gateways: [],
    remoteSecrets: [],
    nodes: { total: 0, byLocality: [], unlabelled: [], unlabelledCount: 0 },
    namespaces: [],
    services: [],
    workloads: [],
    destinationRules: [],
    virtualServices: [],
    peerAuthentications: [],
    authorizationPolicies: [],
    sidecars: [],
    serviceEntries: [],
    partialErrors: [],
    malformedObjects: [],
    ...overrides,
  };
}

/** A policy resource (DestinationRule, PeerAuthentication, ...) of the snapshot. */
export function policy(
  kind: PolicyResource['kind'],
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  creationTimestamp?: string,
): PolicyResource {
  return {
    kind,
    namespace,
    name,
    ...(creationTimestamp ? { creationTimestamp } : {}),
    spec,
  };
}
