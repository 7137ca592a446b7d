/*
 * The `serviceMesh.*` keys that decide which of the Kubernetes plugin's clusters the service-mesh plugins read
 * (members, exclude, the management cluster, an extra kubeconfig) and how long one cluster may take.
 */
import { Config } from '@backstage/config';

/** @public */
export interface ServiceMeshClusterSettings {
  /** Cluster that holds the Alauda ServiceMesh resources; not a mesh member. */
  managementCluster?: string;
  /** Explicit mesh members: when set, only these (and the management cluster) are read. */
  members?: string[];
  /** Clusters of the Kubernetes plugin that are not part of the mesh. */
  exclude: string[];
  /** A kubeconfig file whose every context is one more cluster. */
  kubeconfig?: string;
  clusterTimeoutSeconds: number;
}

/** @public */
export const DEFAULT_CLUSTER_TIMEOUT_SECONDS = 10;

/** @public */
export function readServiceMeshClusterSettings(
  config: Config,
): ServiceMeshClusterSettings {
  return {
    managementCluster: config.getOptionalString(
      'serviceMesh.managementCluster',
    ),
    members: config.getOptionalStringArray('serviceMesh.members'),
    exclude: config.getOptionalStringArray('serviceMesh.exclude') ?? [],
    kubeconfig: config.getOptionalString('serviceMesh.kubeconfig'),
    clusterTimeoutSeconds: positiveSeconds(
      config,
      'serviceMesh.clusterTimeoutSeconds',
      DEFAULT_CLUSTER_TIMEOUT_SECONDS,
    ),
  };
}

/** A positive number of seconds at `key`, or the default; anything else is a startup error naming the key. @public */
export function positiveSeconds(
  config: Config,
  key: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(
      `Invalid config '${key}': must be a positive number, got ${value}`,
    );
  }
  return value;
}

/** Whether the settings let a located cluster be read: within `members` (plus the management cluster), not excluded. */
export function isSelected(
  settings: ServiceMeshClusterSettings,
  name: string,
): boolean {
  if (settings.exclude.includes(name)) return false;
  if (!settings.members) return true;
  return settings.members.includes(name) || name === settings.managementCluster;
}
