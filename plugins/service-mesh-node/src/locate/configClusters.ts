/*
 * Clusters written in app-config: a `config` entry of `kubernetes.clusterLocatorMethods`, mapped to the
 * Kubernetes plugin's ClusterDetails exactly as its ConfigClusterLocator does (@backstage/plugin-kubernetes-backend
 * 0.21, src/cluster-locator/ConfigClusterLocator.ts, which the package does not export), and the contexts of a
 * kubeconfig file (`serviceMesh.kubeconfig`).
 *
 * Two differences, so one bad entry never stops the others: a cluster without an auth provider is read with
 * `serviceAccount` (the service-mesh plugin's behaviour before it used the Kubernetes plugin's strategies), and
 * a duplicate name is skipped with a warning instead of failing startup.
 */
import { Config } from '@backstage/config';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
  ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER,
} from '@backstage/plugin-kubernetes-common';
import { KubeConfig } from '@kubernetes/client-node';
import type { LocatedCluster } from './types';

/** The auth provider of clusters that name none. */
export const DEFAULT_AUTH_PROVIDER = 'serviceAccount';

export function readConfigClusters(method: Config): ClusterDetails[] {
  return (method.getOptionalConfigArray('clusters') ?? []).map(c => {
    const authMetadataBlock =
      c.getOptional<Record<string, string>>('authMetadata') ?? {};
    const authProvider =
      authMetadataBlock[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
      c.getOptionalString('authProvider') ??
      DEFAULT_AUTH_PROVIDER;
    const title = c.getOptionalString('title');
    const details: ClusterDetails = {
      name: c.getString('name'),
      ...(title ? { title } : {}),
      url: c.getString('url'),
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      skipMetricsLookup: c.getOptionalBoolean('skipMetricsLookup') ?? false,
      caData: c.getOptionalString('caData'),
      caFile: c.getOptionalString('caFile'),
      authMetadata: {
        [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: authProvider,
        ...authMetadataOf(c),
        ...authMetadataBlock,
      },
    };
    return details;
  });
}

/** The top-level credential keys of a config cluster, as the auth metadata the strategies read. */
function authMetadataOf(c: Config): Record<string, string> {
  const metadata: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value) metadata[key] = value;
  };
  set('serviceAccountToken', c.getOptionalString('serviceAccountToken'));
  set(ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE, c.getOptionalString('assumeRole'));
  set(ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID, c.getOptionalString('externalId'));
  set(
    ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER,
    c.getOptionalString('oidcTokenProvider'),
  );
  return metadata;
}

/** Every context of a kubeconfig file, as a cluster named after the context; credentials stay in the file. */
export function readKubeconfigClusters(path: string): LocatedCluster[] {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc.getContexts().flatMap(context => {
    const cluster = kc.getCluster(context.cluster);
    if (!cluster) return [];
    return [
      {
        source: 'kubeconfig',
        kubeconfig: { path, context: context.name },
        details: {
          name: context.name,
          url: cluster.server,
          skipTLSVerify: cluster.skipTLSVerify ?? false,
          authMetadata: { [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'kubeconfig' },
        },
      },
    ];
  });
}
