/*
 * `type: gke`: the clusters of a GCP project (and region, `-` for all), from the GKE API with the backend's Google
 * credentials, mapped as the Kubernetes plugin's GkeClusterLocator does (@backstage/plugin-kubernetes-backend
 * 0.21, src/cluster-locator/GkeClusterLocator.ts): `matchingResourceLabels` filter, `endpointType` public or dns,
 * `authProvider` googleServiceAccount (else google, a client-side provider the mesh reports as MESH094).
 * One addition: the cluster's CA certificate (masterAuth.clusterCaCertificate) is passed as caData, so the API
 * server's certificate is verified without `skipTLSVerify` (the Kubernetes plugin leaves this as a TODO).
 */
import type { Config } from '@backstage/config';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type { ClusterSource, LocatedCluster } from './types';

/**
 * The part of `@google-cloud/container`'s ClusterManagerClient the locator uses.
 *
 * @public
 */
export interface GkeClient {
  listClusters(request: { parent: string }): Promise<
    [
      {
        clusters?: Array<{
          name?: string | null;
          endpoint?: string | null;
          resourceLabels?: Record<string, string> | null;
          masterAuth?: { clusterCaCertificate?: string | null } | null;
          controlPlaneEndpointsConfig?: {
            dnsEndpointConfig?: { endpoint?: string | null } | null;
          } | null;
        }> | null;
      },
      ...unknown[],
    ]
  >;
}

const ENDPOINT_TYPES = ['public', 'dns'];

export class GkeClusterSource implements ClusterSource {
  readonly #projectId: string;
  readonly #region: string;
  readonly #authProvider: string;
  readonly #skipTLSVerify: boolean;
  readonly #skipMetricsLookup: boolean;
  readonly #exposeDashboard: boolean;
  readonly #labels: Array<{ key: string; value: string }>;
  readonly #endpointType: string;
  readonly #createClient: () => GkeClient;
  #client?: GkeClient;

  constructor(
    readonly name: string,
    method: Config,
    createClient?: (method: Config) => GkeClient,
  ) {
    this.#projectId = method.getString('projectId');
    this.#region = method.getOptionalString('region') ?? '-';
    this.#authProvider =
      method.getOptionalString('authProvider') === 'googleServiceAccount'
        ? 'googleServiceAccount'
        : 'google';
    this.#skipTLSVerify = method.getOptionalBoolean('skipTLSVerify') ?? false;
    this.#skipMetricsLookup =
      method.getOptionalBoolean('skipMetricsLookup') ?? false;
    this.#exposeDashboard =
      method.getOptionalBoolean('exposeDashboard') ?? false;
    this.#labels = (
      method.getOptionalConfigArray('matchingResourceLabels') ?? []
    ).map(l => ({ key: l.getString('key'), value: l.getString('value') }));
    this.#endpointType = method.getOptionalString('endpointType') ?? 'public';
    if (!ENDPOINT_TYPES.includes(this.#endpointType)) {
      throw new Error(
        `Invalid endpointType '${
          this.#endpointType
        }', must be one of: ${ENDPOINT_TYPES.join(', ')}`,
      );
    }
    this.#createClient = createClient
      ? () => createClient(method)
      : defaultGkeClient;
  }

  async locate(): Promise<LocatedCluster[]> {
    this.#client ??= this.#createClient();
    const [response] = await this.#client.listClusters({
      parent: `projects/${this.#projectId}/locations/${this.#region}`,
    });
    return (response.clusters ?? [])
      .filter(c =>
        this.#labels.every(l => c.resourceLabels?.[l.key] === l.value),
      )
      .filter(c => c.name && c.endpoint)
      .map(c => {
        const dns = c.controlPlaneEndpointsConfig?.dnsEndpointConfig?.endpoint;
        const host = this.#endpointType === 'dns' && dns ? dns : c.endpoint;
        const details: ClusterDetails = {
          name: c.name!,
          url: `https://${host}`,
          authMetadata: {
            [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: this.#authProvider,
          },
          skipTLSVerify: this.#skipTLSVerify,
          skipMetricsLookup: this.#skipMetricsLookup,
          ...(c.masterAuth?.clusterCaCertificate
            ? { caData: c.masterAuth.clusterCaCertificate }
            : {}),
          ...(this.#exposeDashboard
            ? {
                dashboardApp: 'gke',
                dashboardParameters: {
                  projectId: this.#projectId,
                  region: this.#region,
                  clusterName: c.name!,
                },
              }
            : {}),
        };
        return { details, source: 'gke' };
      });
  }
}

function defaultGkeClient(): GkeClient {
  // Loaded on first use: the GKE client pulls in gRPC, which only GKE users need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const container =
    require('@google-cloud/container') as typeof import('@google-cloud/container');
  return new container.v1.ClusterManagerClient({
    libName: 'backstage/service-mesh-node.GkeClusterSource',
  }) as unknown as GkeClient;
}
