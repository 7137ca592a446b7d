/*
 * What every check needs: the normalised snapshot, the members that have data (never-synced clusters are
 * skipped; stale data is used), their networks, and the clock.
 */
import { ISTIO_SYSTEM_NAMESPACE } from '../constants';
import type {
  ClusterMeshData,
  ClusterSnapshot,
  MeshNamespace,
  MeshSnapshot,
} from '../types/snapshot';
import { clusterNetwork, distinctNetworks, membersOf } from './membership';

export interface MemberData {
  name: string;
  cluster: ClusterSnapshot;
  data: ClusterMeshData;
  network?: string;
  /** Names other clusters may use for it: the Backstage name and istiod's CLUSTER_ID values. */
  ids: Set<string>;
  /** Where its istiod runs (remote secrets live there). */
  istioNamespace: string;
  /** Runs an istiod: a primary needs remote secrets for every other member. */
  primary: boolean;
  namespacesByName: Map<string, MeshNamespace>;
}

export interface AnalysisContext {
  snapshot: MeshSnapshot;
  /** All members, with or without data. */
  members: ClusterSnapshot[];
  /** Members with data, in snapshot order. */
  withData: MemberData[];
  multiNetwork: boolean;
  now: Date;
  rootCaExpiryDays: number;
}

export function clusterIds(cluster: ClusterSnapshot): Set<string> {
  const ids = new Set([cluster.name]);
  for (const cp of cluster.data?.controlPlanes ?? [])
    if (cp.clusterId) ids.add(cp.clusterId);
  return ids;
}

export function buildContext(
  snapshot: MeshSnapshot,
  options: { now?: Date; rootCaExpiryDays?: number },
): AnalysisContext {
  const members = membersOf(snapshot);
  const withData: MemberData[] = members
    .filter(m => m.data)
    .map(m => ({
      name: m.name,
      cluster: m,
      data: m.data!,
      network: clusterNetwork(m),
      ids: clusterIds(m),
      istioNamespace:
        m.data!.controlPlanes[0]?.namespace ?? ISTIO_SYSTEM_NAMESPACE,
      primary: m.data!.controlPlanes.length > 0,
      namespacesByName: new Map(m.data!.namespaces.map(n => [n.name, n])),
    }));
  const now =
    options.now instanceof Date && !Number.isNaN(options.now.getTime())
      ? options.now
      : new Date();
  const days = options.rootCaExpiryDays;
  return {
    snapshot,
    members,
    withData,
    multiNetwork: distinctNetworks(members).length > 1,
    now,
    rootCaExpiryDays:
      typeof days === 'number' && Number.isFinite(days) && days >= 0
        ? days
        : 30,
  };
}

/** How a namespace is labelled for the mesh in one cluster. */
export function namespaceIn(member: MemberData, namespace: string) {
  return member.namespacesByName.get(namespace);
}

export function isOnboarded(member: MemberData, namespace: string): boolean {
  return namespaceIn(member, namespace)?.onboarded ?? false;
}

/** Namespaces onboarded in at least one member, sorted. */
export function onboardedNamespaces(ctx: AnalysisContext): string[] {
  const names = new Set<string>();
  for (const m of ctx.withData)
    for (const n of m.data.namespaces) if (n.onboarded) names.add(n.name);
  return [...names].sort();
}

/** `--context=<cluster>` for commands in hints. */
export function ctxFlag(cluster: string): string {
  return `--context=${cluster}`;
}

/**
 * False when reading `plural` (e.g. `destinationrules`, `secrets`) failed in this cluster: "missing" there means
 * "not known", and checks that look for something missing skip the cluster (MESH092 reports the failure).
 */
export function canSee(member: MemberData, plural: string): boolean {
  return !member.data.partialErrors.some(e => {
    const resource = (e.resource ?? '').toLowerCase();
    return (
      resource === plural ||
      resource.startsWith(`${plural}.`) ||
      resource.endsWith(`/${plural}`)
    );
  });
}
