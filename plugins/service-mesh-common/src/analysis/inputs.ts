/*
 * Which Kubernetes resources each list of ClusterMeshData is built from (plugins/service-mesh-backend
 * collectors/collectCluster.ts buildClusterData; its tests check that this table covers every resource the
 * collectors read). When reading one of them failed in a cluster, the lists built from it are unknown there.
 */
import { parseResourceName } from '../rbac';
import type { ClusterMeshData, CollectionError } from '../types/snapshot';

/** A list (or field) of one cluster's data that a check reads. */
export type CheckInput = Exclude<
  keyof ClusterMeshData,
  'partialErrors' | 'malformedObjects'
>;

/** Plural resource names (as in RBAC rules) per input. */
export const CHECK_INPUT_SOURCES: Readonly<
  Record<CheckInput, readonly string[]>
> = {
  serviceMeshes: ['servicemeshes'],
  controlPlanes: ['deployments'],
  meshConfigs: ['configmaps'],
  revisionTags: ['mutatingwebhookconfigurations'],
  injectors: ['configmaps'],
  systemNamespaceNetwork: ['namespaces'],
  controlPlaneClusters: ['namespaces'],
  eastWestGateways: ['services', 'deployments'],
  gateways: ['gateways'],
  remoteSecrets: ['secrets'],
  rootCA: ['configmaps'],
  nodes: ['nodes'],
  namespaces: ['namespaces'],
  services: ['services', 'endpointslices'],
  workloads: ['pods'],
  destinationRules: ['destinationrules'],
  virtualServices: ['virtualservices'],
  peerAuthentications: ['peerauthentications'],
  authorizationPolicies: ['authorizationpolicies'],
  sidecars: ['sidecars'],
  serviceEntries: ['serviceentries'],
  // Read per revision through pods/portforward; each IstiodView carries its own status (forbidden, disabled, …).
  istiod: [],
};

export const CHECK_INPUTS = Object.keys(CHECK_INPUT_SOURCES) as CheckInput[];

/** The plural resources a cluster could not read (from its partial errors). */
export function unreadableResources(
  partialErrors: readonly CollectionError[],
): string[] {
  const plurals = new Set<string>();
  for (const e of partialErrors)
    if (e.resource)
      plurals.add(parseResourceName(e.resource).resource.toLowerCase());
  return [...plurals].sort();
}

/** The inputs that are unknown in a cluster because a resource they are built from could not be read. */
export function unreadableInputs(data: ClusterMeshData): Set<CheckInput> {
  const failed = new Set(unreadableResources(data.partialErrors));
  const out = new Set<CheckInput>();
  if (failed.size === 0) return out;
  for (const input of CHECK_INPUTS)
    if (CHECK_INPUT_SOURCES[input].some(r => failed.has(r))) out.add(input);
  return out;
}
