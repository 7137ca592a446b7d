/*
 * Which clusters form the mesh. A cluster is a member when it is configured as one or runs an istiod; the
 * management cluster that only holds ServiceMesh resources (the Alauda `global` cluster) is not, and checks that
 * compare members skip it.
 */
import type { ClusterSnapshot, MeshSnapshot } from '../types/snapshot';
import { parseSnapshot } from '../types/snapshot';
import { clusterNetwork } from './network';

function isMember(cluster: ClusterSnapshot): boolean {
  return (
    cluster.role === 'member' || (cluster.data?.controlPlanes.length ?? 0) > 0
  );
}

/** Mesh members in snapshot order (with or without data). Tolerates a malformed snapshot. */
export function meshMembers(snapshot: MeshSnapshot): ClusterSnapshot[] {
  return parseSnapshot(snapshot).clusters.filter(isMember);
}

/** Members of an already-parsed snapshot (internal: avoids parsing twice). */
export function membersOf(snapshot: MeshSnapshot): ClusterSnapshot[] {
  return snapshot.clusters.filter(isMember);
}

export function distinctNetworks(members: ClusterSnapshot[]): string[] {
  const networks = new Set<string>();
  for (const m of members) {
    const n = clusterNetwork(m);
    if (n) networks.add(n);
  }
  return [...networks];
}

/** More than one distinct network among the members: only then are east-west gateways required. */
export function isMultiNetwork(snapshot: MeshSnapshot): boolean {
  return distinctNetworks(meshMembers(snapshot)).length > 1;
}
