/*
 * Turns a configured cluster into API clients. The snapshot reads through `createClient`; the scaffolder module's
 * onboarding action writes through client-node's typed APIs built from `createKubeConfig`, so both use the same
 * credentials and TLS settings.
 */
import fs from 'node:fs';
import { KubeConfig, User } from '@kubernetes/client-node';
import { MeshClusterConfig } from './config';
import { createKubeClient, KubeClient } from './KubeClient';

/** The in-cluster service account token, used when `authProvider: serviceAccount` has no token configured. */
const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';
const IN_CLUSTER_CA_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

/**
 * Creates API clients for the mesh's clusters.
 *
 * @public
 */
export interface ClusterClientFactory {
  /**
   * A client-node KubeConfig whose current context is the cluster, e.g. for
   * `createKubeConfig(cluster).makeApiClient(CoreV1Api)`.
   */
  createKubeConfig(cluster: MeshClusterConfig): KubeConfig;
  /** A read-only JSON client; `signal` cancels every request it makes. */
  createClient(
    cluster: MeshClusterConfig,
    options?: { signal?: AbortSignal },
  ): KubeClient;
}

/**
 * A KubeConfig for one configured cluster. Only `serviceAccount` auth (a token, or the in-cluster token file) and
 * kubeconfig contexts are supported: other Kubernetes-plugin providers (oidc, google, aws…) need a user's browser
 * session, which a background refresh does not have.
 *
 * @public
 */
export function createKubeConfig(cluster: MeshClusterConfig): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.kubeconfig) {
    kc.loadFromFile(cluster.kubeconfig.path);
    kc.setCurrentContext(cluster.kubeconfig.context);
    return kc;
  }
  if (cluster.authProvider !== 'serviceAccount') {
    throw new Error(
      `Cluster '${cluster.name}' uses authProvider '${cluster.authProvider}'; the service-mesh plugin reads clusters ` +
        `in the background and supports only 'serviceAccount' (set serviceAccountToken) or serviceMesh.kubeconfig`,
    );
  }
  const inCluster =
    !cluster.serviceAccountToken && fs.existsSync(IN_CLUSTER_TOKEN_FILE);
  let user: User = { name: 'service-mesh' };
  if (cluster.serviceAccountToken) {
    user = { name: 'service-mesh', token: cluster.serviceAccountToken };
  } else if (inCluster) {
    // The projected token rotates: client-node re-reads the file.
    user = {
      name: 'service-mesh',
      authProvider: {
        name: 'tokenFile',
        config: { tokenFile: IN_CLUSTER_TOKEN_FILE },
      },
    };
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify,
        caData: cluster.caData,
        caFile:
          cluster.caFile ??
          (inCluster && !cluster.caData
            ? existing(IN_CLUSTER_CA_FILE)
            : undefined),
      },
    ],
    users: [user],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'service-mesh' },
    ],
    currentContext: cluster.name,
  });
  return kc;
}

function existing(path: string): string | undefined {
  return fs.existsSync(path) ? path : undefined;
}

/**
 * The default factory: client-node KubeConfigs and the JSON client over them.
 *
 * @public
 */
export class DefaultClusterClientFactory implements ClusterClientFactory {
  createKubeConfig(cluster: MeshClusterConfig): KubeConfig {
    return createKubeConfig(cluster);
  }

  createClient(
    cluster: MeshClusterConfig,
    options: { signal?: AbortSignal } = {},
  ): KubeClient {
    return createKubeClient(this.createKubeConfig(cluster), options);
  }
}
