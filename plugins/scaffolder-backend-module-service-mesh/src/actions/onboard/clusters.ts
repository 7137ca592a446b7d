/*
 * The clusters the action may change: the mesh's members, from the same configuration the service-mesh backend
 * reads (`kubernetes.clusterLocatorMethods` + `serviceMesh.*`). Cluster names come from templates, so only
 * configured names are accepted: a template never supplies a URL or a credential.
 */
import { Config } from '@backstage/config';
// The backend plugin exports its cluster access for this module, so both read clusters the same way.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  createKubeConfig,
  MeshClusterConfig,
  readMeshClusters,
  readServiceMeshConfig,
} from '@internal/plugin-service-mesh-backend';
import {
  KubernetesOnboardClusterClient,
  OnboardClusterClient,
} from './OnboardClusterClient';

/** The mesh's clusters as the action sees them. */
export interface OnboardClusters {
  /** The default targets: every configured cluster but the management cluster, within serviceMesh.members. */
  members: string[];
  /** Why `name` cannot be a target, or undefined. */
  targetProblem(name: string): string | undefined;
  client(name: string): OnboardClusterClient;
}

/** Reads the clusters from the app config. */
export function loadOnboardClusters(config: Config): OnboardClusters {
  const meshConfig = readServiceMeshConfig(config);
  const configured = new Map(readMeshClusters(config).map(c => [c.name, c]));
  const { managementCluster } = meshConfig;
  const members = new Map<string, MeshClusterConfig>(
    meshConfig.clusters
      .filter(c => c.name !== managementCluster)
      .map(c => [c.name, c]),
  );
  const timeoutMs = meshConfig.clusterTimeoutSeconds * 1000;

  return {
    members: [...members.keys()],
    targetProblem(name) {
      if (members.has(name)) return undefined;
      if (name === managementCluster) {
        return `cluster '${name}' is the management cluster (serviceMesh.managementCluster), not a mesh member`;
      }
      if (configured.has(name))
        return `cluster '${name}' is not a mesh member (serviceMesh.members)`;
      return `unknown cluster '${name}': not in kubernetes.clusterLocatorMethods (known: ${
        [...members.keys()].join(', ') || 'none'
      })`;
    },
    client(name) {
      const cluster = members.get(name);
      if (!cluster) throw new Error(`unknown cluster '${name}'`);
      return KubernetesOnboardClusterClient.fromKubeConfig(
        createKubeConfig(cluster),
        { timeoutMs },
      );
    },
  };
}
