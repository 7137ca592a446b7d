import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterSourceError } from '@internal/plugin-service-mesh-common';
import type { KubeClient } from './client/KubeClient';
import type { ClusterAccessProblem } from './errors';

/**
 * One cluster the service-mesh plugins read, as one of the Kubernetes plugin's cluster locators (or a context of
 * `serviceMesh.kubeconfig`) found it.
 *
 * @public
 */
export interface MeshCluster {
  name: string;
  title?: string;
  url: string;
  /** `kubernetes.io/auth-provider`: serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy, …, or `kubeconfig`. */
  authProvider: string;
  /** What located it: `config`, `catalog`, `gke`, `localKubectlProxy`, `kubeconfig` or `custom` (a module's supplier). */
  source: string;
  /** The management cluster holds the Alauda ServiceMesh resources only; it is not a mesh member. */
  role: 'member' | 'management';
  /** The Kubernetes plugin's view of the cluster: auth metadata, CA, TLS settings. Holds credentials: never log it. */
  details: ClusterDetails;
  /** Set for a context of `serviceMesh.kubeconfig`: credentials come from that file (tokens, certificates, exec). */
  kubeconfig?: { path: string; context: string };
  /** Why the cluster cannot be read server-side (client-side or unknown auth provider, invalid auth metadata). */
  problem?: ClusterAccessProblem;
}

/** @public */
export interface MeshClusterList {
  /** The clusters to read: every located cluster within `serviceMesh.members`/`exclude`, the management cluster included. */
  clusters: MeshCluster[];
  managementCluster?: string;
  /** Explicit mesh members (`serviceMesh.members`), when configured. */
  members?: string[];
  /** Cluster sources that failed this time; the clusters they located before are kept in `clusters`. */
  sourceErrors: ClusterSourceError[];
}

/** @public */
export interface MeshClientOptions {
  /** Aborts every request of the client. */
  signal?: AbortSignal;
}

/**
 * Cluster access for the service-mesh backend plugin and the scaffolder module: which clusters there are, and
 * clients with server-side credentials for them. Credentials come from the Kubernetes plugin's auth strategies
 * (or one a module added through `serviceMeshAuthStrategyExtensionPoint`).
 *
 * @public
 */
export interface ServiceMeshClustersService {
  /**
   * The clusters now. Config and kubeconfig clusters are read once; the catalog and GKE are asked on each call
   * (a failing source keeps its last answer and is reported in `sourceErrors`). Never throws for one bad cluster.
   */
  listClusters(): Promise<MeshClusterList>;
  /**
   * A JSON client for reads. Credentials are resolved on its first request, again after a 401 and when they are
   * older than a few minutes; a cluster whose credentials cannot be had rejects every request with a
   * ClusterAccessError (nothing is sent to it).
   */
  createClient(cluster: MeshCluster, options?: MeshClientOptions): KubeClient;
  /**
   * A client-node KubeConfig with the cluster's current credentials, for client-node's typed APIs (the
   * onboarding action's writes). Rejects with a ClusterAccessError like `createClient`.
   */
  createKubeConfig(cluster: MeshCluster): Promise<KubeConfig>;
}
