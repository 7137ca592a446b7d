/*
 * The clusters the action may change: the mesh's members, from the same cluster access the service-mesh backend
 * reads through (the plugin-service-mesh-node package: the Kubernetes plugin's locators and auth strategies, within
 * serviceMesh.members/exclude). Cluster names come from templates, so only located names are accepted: a
 * template never supplies a URL or a credential.
 */
import type {
  MeshCluster,
  ServiceMeshClustersService,
} from '@internal/plugin-service-mesh-node';
import {
  KubernetesOnboardClusterClient,
  OnboardClusterClient,
} from './OnboardClusterClient';

/**
 * The mesh's clusters as the action sees them.
 *
 * @public
 */
export interface OnboardClusters {
  /** The default targets: every located cluster but the management cluster, within serviceMesh.members. */
  members: string[];
  /** Why `name` cannot be a target, or undefined. */
  targetProblem(name: string): string | undefined;
  client(name: string): OnboardClusterClient;
}

/** The clusters as cluster access lists them now. */
export async function loadOnboardClusters(
  access: Pick<ServiceMeshClustersService, 'listClusters' | 'createKubeConfig'>,
  options: { timeoutMs: number },
): Promise<OnboardClusters> {
  const list = await access.listClusters();
  const { managementCluster } = list;
  const members = new Map<string, MeshCluster>(
    list.clusters
      .filter(c => c.name !== managementCluster)
      .map(c => [c.name, c]),
  );

  return {
    members: [...members.keys()],
    targetProblem(name) {
      const cluster = members.get(name);
      // Client-side or unknown auth provider: say so before anything is read, with the fix.
      if (cluster?.problem)
        return `cluster '${name}' cannot be changed: ${cluster.problem.message}. ${cluster.problem.hint}`;
      if (cluster) return undefined;
      if (name === managementCluster) {
        return `cluster '${name}' is the management cluster (serviceMesh.managementCluster), not a mesh member`;
      }
      return `unknown cluster '${name}': not a mesh cluster of kubernetes.clusterLocatorMethods within serviceMesh.members/exclude (known: ${
        [...members.keys()].join(', ') || 'none'
      })`;
    },
    client(name) {
      const cluster = members.get(name);
      if (!cluster) throw new Error(`unknown cluster '${name}'`);
      return KubernetesOnboardClusterClient.fromKubeConfig(
        () => access.createKubeConfig(cluster),
        options,
      );
    },
  };
}
