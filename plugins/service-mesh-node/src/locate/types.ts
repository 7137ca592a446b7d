import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';

/** A cluster as one source located it. */
export interface LocatedCluster {
  details: ClusterDetails;
  /** `config`, `catalog`, `gke`, `localKubectlProxy`, `kubeconfig`, or `custom`. */
  source: string;
  kubeconfig?: { path: string; context: string };
}

/** One entry of `kubernetes.clusterLocatorMethods` (or the kubeconfig file). */
export interface ClusterSource {
  /** For messages: `kubernetes.clusterLocatorMethods[1] (catalog)`. */
  name: string;
  locate(options: {
    credentials?: BackstageCredentials;
  }): Promise<LocatedCluster[]>;
  /** A failure that is the configuration's fault (a missing file), not the source's being down (MESH097). */
  misconfigured?(error: unknown): { message: string; hint: string } | undefined;
}
