/*
 * `type: localKubectlProxy`: the cluster behind `kubectl proxy` on this machine, as the Kubernetes plugin's
 * LocalKubectlProxyClusterLocator has it (name `local`, port 8001, localhost resolved IPv4-first because kubectl
 * proxy listens on 127.0.0.1; no credentials: the proxy adds them).
 */
import { lookup } from 'node:dns/promises';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';

export async function localKubectlProxyCluster(): Promise<ClusterDetails> {
  const { address } = await lookup('localhost', { verbatim: false });
  return {
    name: 'local',
    url: `http://${address.includes(':') ? `[${address}]` : address}:8001`,
    authMetadata: {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'localKubectlProxy',
    },
    skipMetricsLookup: true,
  };
}
