/*
 * One cluster source per entry of `kubernetes.clusterLocatorMethods`, as the Kubernetes plugin's
 * getCombinedClusterSupplier builds them (@backstage/plugin-kubernetes-backend 0.21,
 * src/cluster-locator/index.ts; none of the locators is exported, so they are mapped here the same way), plus
 * the contexts of `serviceMesh.kubeconfig`. An unknown type is a MESH095 source error, not a startup crash.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { ClusterSourceError } from '@internal/plugin-service-mesh-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { CatalogClusterSource } from './CatalogClusterSource';
import { readConfigClusters, readKubeconfigClusters } from './configClusters';
import { GkeClient, GkeClusterSource } from './GkeClusterSource';
import { localKubectlProxyCluster } from './localKubectlProxy';
import type { ClusterSource } from './types';
import type { ServiceMeshClusterSettings } from '../config';

/** @public */
export interface ClusterSourceDeps {
  logger: LoggerService;
  /** For `type: catalog`. */
  catalog?: CatalogService;
  /** For `type: gke`: the GKE API client of one locator method (default: `@google-cloud/container`'s). */
  gkeClient?: (method: Config) => GkeClient;
}

export function clusterSourcesFromConfig(
  config: Config,
  deps: ClusterSourceDeps & { settings: ServiceMeshClusterSettings },
): { sources: ClusterSource[]; invalid: ClusterSourceError[] } {
  const sources: ClusterSource[] = [];
  const invalid: ClusterSourceError[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, i) => {
    const type = method.getOptionalString('type') ?? '';
    const name = `kubernetes.clusterLocatorMethods[${i}] (${
      type || 'no type'
    })`;
    try {
      const source = sourceFor(type, name, method, deps);
      if (source) sources.push(source);
      else
        invalid.push({
          source: name,
          code: 'MESH095',
          message: `unknown cluster locator type '${type}'`,
          hint: `Use one of the Kubernetes plugin's locator types: config, catalog, gke, localKubectlProxy.`,
        });
    } catch (error) {
      invalid.push({
        source: name,
        code: 'MESH095',
        message: `invalid cluster locator: ${(error as Error).message}`,
        hint: `Fix ${name} in app-config as the Kubernetes plugin documents it.`,
      });
    }
  });
  const kubeconfig = deps.settings.kubeconfig;
  if (kubeconfig) {
    sources.push({
      name: `serviceMesh.kubeconfig (${kubeconfig})`,
      locate: async () => readKubeconfigClusters(kubeconfig),
      misconfigured: (error: unknown) => ({
        message: `cannot read the kubeconfig file ${kubeconfig}: ${
          (error as Error)?.message ?? error
        }`,
        hint: `Fix serviceMesh.kubeconfig: the backend must be able to read ${kubeconfig} (a kubeconfig whose every context is a cluster).`,
      }),
    });
  }
  return { sources, invalid };
}

function sourceFor(
  type: string,
  name: string,
  method: Config,
  deps: ClusterSourceDeps,
): ClusterSource | undefined {
  switch (type) {
    case 'config': {
      // Static: read once, so a config error surfaces at startup and costs nothing per refresh.
      const clusters = readConfigClusters(method).map(details => ({
        details,
        source: 'config',
      }));
      return { name, locate: async () => clusters };
    }
    case 'catalog':
      return new CatalogClusterSource(name, method, deps);
    case 'gke':
      return new GkeClusterSource(name, method, deps.gkeClient);
    case 'localKubectlProxy':
      return {
        name,
        locate: async () => [
          { details: await localKubectlProxyCluster(), source: type },
        ],
      };
    default:
      return undefined;
  }
}
