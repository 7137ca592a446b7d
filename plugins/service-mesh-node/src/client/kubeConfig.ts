/*
 * A client-node KubeConfig for one cluster and one credential, built the way the Kubernetes plugin connects
 * (KubernetesProxy.prepareProxyTarget / KubernetesConnection.fetchArgs in @backstage/plugin-kubernetes-backend
 * 0.21: bearer token or client certificate, the cluster's CA data or file, skipTLSVerify).
 */
import fs from 'node:fs';
import { KubeConfig, User } from '@kubernetes/client-node';
import type { KubernetesCredential } from '@backstage/plugin-kubernetes-node';
import { SERVICEACCOUNT_CA_PATH } from '@backstage/plugin-kubernetes-common';
import type { MeshCluster } from '../types';

const USER = 'service-mesh';

/** @public */
export function kubeConfigFor(
  cluster: MeshCluster,
  credential: KubernetesCredential,
): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.kubeconfig) {
    kc.loadFromFile(cluster.kubeconfig.path);
    kc.setCurrentContext(cluster.kubeconfig.context);
    return kc;
  }
  const { details } = cluster;
  let user: User = { name: USER };
  if (credential.type === 'bearer token')
    user = { name: USER, token: credential.token };
  else if (credential.type === 'x509 client certificate') {
    // client-node reads certData/keyData as base64 PEM.
    user = {
      name: USER,
      certData: Buffer.from(credential.cert).toString('base64'),
      keyData: Buffer.from(credential.key).toString('base64'),
    };
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: details.url,
        skipTLSVerify: details.skipTLSVerify ?? false,
        caData: details.caData,
        caFile: details.caFile ?? inClusterCaFile(cluster),
      },
    ],
    users: [user],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: USER }],
    currentContext: cluster.name,
  });
  return kc;
}

/**
 * In a pod, a serviceAccount cluster without its own token uses the pod's token (ServiceAccountStrategy) and,
 * unless it has CA data of its own, the pod's CA, as the Kubernetes plugin does.
 */
function inClusterCaFile(cluster: MeshCluster): string | undefined {
  const { details } = cluster;
  if (
    cluster.authProvider !== 'serviceAccount' ||
    details.authMetadata.serviceAccountToken ||
    details.caData ||
    !fs.existsSync(SERVICEACCOUNT_CA_PATH)
  )
    return undefined;
  return SERVICEACCOUNT_CA_PATH;
}
