/*
 * Which clusters the plugin reads, and the mesh-specific settings. Clusters come from the Kubernetes plugin's
 * `kubernetes.clusterLocatorMethods` (type `config`), so the Kubernetes tab and the mesh tab agree, and from an
 * optional kubeconfig file (`serviceMesh.kubeconfig`, every context a cluster).
 */
import { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * One cluster the plugin can read, with the keys of the Kubernetes plugin's `config` cluster locator.
 *
 * @public
 */
export interface MeshClusterConfig {
  name: string;
  /** API server URL. */
  url: string;
  /** `serviceAccount` (the default) is the only provider the mesh plugin can use server-side. */
  authProvider: string;
  serviceAccountToken?: string;
  /** Base64-encoded PEM of the API server's CA. */
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /** Set when the cluster is a context of `serviceMesh.kubeconfig`; credentials then come from that file. */
  kubeconfig?: { path: string; context: string };
}

/**
 * The plugin's settings, with defaults applied.
 *
 * @public
 */
export interface ServiceMeshConfig {
  /** The clusters to read, after `members`/`exclude` are applied (the management cluster always included). */
  clusters: MeshClusterConfig[];
  /** Cluster that holds the Alauda ServiceMesh resources; not a mesh member. */
  managementCluster?: string;
  refreshIntervalSeconds: number;
  clusterTimeoutSeconds: number;
  /** Explicit mesh members, when configured. */
  members?: string[];
  exclude: string[];
}

export const DEFAULT_REFRESH_INTERVAL_SECONDS = 30;
export const DEFAULT_CLUSTER_TIMEOUT_SECONDS = 10;

/**
 * Every cluster configured for the Kubernetes plugin (`kubernetes.clusterLocatorMethods`, type `config`) and every
 * context of `serviceMesh.kubeconfig`, minus `serviceMesh.exclude`. On a duplicate name the first one wins.
 *
 * @public
 */
export function readMeshClusters(config: Config): MeshClusterConfig[] {
  const clusters: MeshClusterConfig[] = [];
  const seen = new Set<string>();
  const add = (cluster: MeshClusterConfig) => {
    if (seen.has(cluster.name)) return;
    seen.add(cluster.name);
    clusters.push(cluster);
  };

  for (const method of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    // Other locator types (catalog, gke, localKubectlProxy) need the Kubernetes plugin's own machinery.
    if (method.getOptionalString('type') !== 'config') continue;
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const authMetadata =
        c.getOptional<Record<string, string>>('authMetadata') ?? {};
      add({
        name: c.getString('name'),
        url: c.getString('url'),
        authProvider:
          authMetadata['kubernetes.io/auth-provider'] ??
          c.getOptionalString('authProvider') ??
          'serviceAccount',
        serviceAccountToken:
          c.getOptionalString('serviceAccountToken') ??
          authMetadata.serviceAccountToken,
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  }

  const kubeconfigPath = config.getOptionalString('serviceMesh.kubeconfig');
  if (kubeconfigPath) {
    for (const cluster of readKubeconfigClusters(kubeconfigPath)) add(cluster);
  }

  const exclude = new Set(
    config.getOptionalStringArray('serviceMesh.exclude') ?? [],
  );
  return clusters.filter(c => !exclude.has(c.name));
}

/** Every context of a kubeconfig file, as a cluster named after the context. */
export function readKubeconfigClusters(path: string): MeshClusterConfig[] {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc.getContexts().flatMap(context => {
    const cluster = kc.getCluster(context.cluster);
    if (!cluster) return [];
    return [
      {
        name: context.name,
        url: cluster.server,
        authProvider: 'kubeconfig',
        skipTLSVerify: cluster.skipTLSVerify ?? false,
        kubeconfig: { path, context: context.name },
      },
    ];
  });
}

/**
 * The plugin's configuration: the clusters to read and the `serviceMesh.*` settings.
 *
 * @public
 */
export function readServiceMeshConfig(config: Config): ServiceMeshConfig {
  const managementCluster = config.getOptionalString(
    'serviceMesh.managementCluster',
  );
  const members = config.getOptionalStringArray('serviceMesh.members');
  const exclude = config.getOptionalStringArray('serviceMesh.exclude') ?? [];
  const refreshIntervalSeconds = positive(
    config.getOptionalNumber('serviceMesh.refreshIntervalSeconds'),
    DEFAULT_REFRESH_INTERVAL_SECONDS,
    'serviceMesh.refreshIntervalSeconds',
  );
  const clusterTimeoutSeconds = positive(
    config.getOptionalNumber('serviceMesh.clusterTimeoutSeconds'),
    DEFAULT_CLUSTER_TIMEOUT_SECONDS,
    'serviceMesh.clusterTimeoutSeconds',
  );

  let clusters = readMeshClusters(config);
  if (members) {
    // Explicit membership narrows what is read; the management cluster is still needed for ServiceMesh resources.
    const wanted = new Set([
      ...members,
      ...(managementCluster ? [managementCluster] : []),
    ]);
    clusters = clusters.filter(c => wanted.has(c.name));
  }

  return {
    clusters,
    managementCluster,
    refreshIntervalSeconds,
    clusterTimeoutSeconds,
    members,
    exclude,
  };
}

function positive(
  value: number | undefined,
  fallback: number,
  key: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(
      `Invalid config '${key}': must be a positive number, got ${value}`,
    );
  }
  return value;
}
