/*
 * `type: catalog`: Resource entities of `spec.type: kubernetes-cluster` with the Kubernetes plugin's annotations,
 * mapped as its CatalogClusterLocator does (@backstage/plugin-kubernetes-backend 0.21,
 * src/cluster-locator/CatalogClusterLocator.ts): the API server, its CA and the auth provider are required;
 * auth metadata is every `kubernetes.io/*` annotation except a service account token (a token never comes from
 * the catalog, so `serviceAccount` clusters are ignored); the URL must pass validateClusterApiServerUrl; TLS
 * verification is skipped only when the locator allows it (`dangerouslyAllowSkipTLSVerify`).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_DASHBOARD_APP,
  ANNOTATION_KUBERNETES_DASHBOARD_URL,
  ANNOTATION_KUBERNETES_SKIP_METRICS_LOOKUP,
  ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY,
} from '@backstage/plugin-kubernetes-common';
import type { ClusterSource, LocatedCluster } from './types';
import { validateClusterApiServerUrl } from './validateClusterApiServerUrl';

/** The Resource `spec.type` the Kubernetes plugin's catalog locator reads. */
export const KUBERNETES_CLUSTER_RESOURCE_TYPE = 'kubernetes-cluster';

export class CatalogClusterSource implements ClusterSource {
  readonly #allowUrls?: string[];
  readonly #allowSkipTLSVerify: boolean;
  readonly #catalog?: CatalogService;
  readonly #logger: LoggerService;
  readonly #warned = new Set<string>();

  constructor(
    readonly name: string,
    method: Config,
    deps: { catalog?: CatalogService; logger: LoggerService },
  ) {
    this.#allowUrls = method.getOptionalStringArray(
      'dangerouslyAllowClusterUrls',
    );
    this.#allowSkipTLSVerify =
      method.getOptionalBoolean('dangerouslyAllowSkipTLSVerify') ?? false;
    this.#catalog = deps.catalog;
    this.#logger = deps.logger;
  }

  async locate(options: {
    credentials?: Parameters<CatalogService['getEntities']>[1]['credentials'];
  }): Promise<LocatedCluster[]> {
    if (!this.#catalog || !options.credentials)
      throw new Error('no catalog client to ask (catalogServiceRef and auth)');
    const annotation = (key: string) => `metadata.annotations.${key}`;
    const { items } = await this.#catalog.getEntities(
      {
        filter: [
          {
            kind: 'Resource',
            'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
            [annotation(ANNOTATION_KUBERNETES_API_SERVER)]:
              CATALOG_FILTER_EXISTS,
            [annotation(ANNOTATION_KUBERNETES_API_SERVER_CA)]:
              CATALOG_FILTER_EXISTS,
            [annotation(ANNOTATION_KUBERNETES_AUTH_PROVIDER)]:
              CATALOG_FILTER_EXISTS,
          },
        ],
      },
      { credentials: options.credentials },
    );
    const clusters: LocatedCluster[] = [];
    for (const entity of items) {
      const details = await this.#toClusterDetails(entity);
      if (details) clusters.push({ details, source: 'catalog' });
    }
    return clusters;
  }

  async #toClusterDetails(entity: Entity): Promise<ClusterDetails | undefined> {
    const name = entity.metadata.name;
    const annotations = entity.metadata.annotations ?? {};
    const ignore = (why: string) => {
      this.#warnOnce(
        `${name}:${why}`,
        `Ignoring kubernetes-cluster Resource "${name}": ${why}`,
      );
      return undefined;
    };
    if (annotations[ANNOTATION_KUBERNETES_AUTH_PROVIDER] === 'serviceAccount') {
      return ignore(
        'the catalog cluster locator does not support the serviceAccount auth provider (a token never comes from the catalog)',
      );
    }
    const url = annotations[ANNOTATION_KUBERNETES_API_SERVER];
    try {
      await validateClusterApiServerUrl(url, {
        dangerouslyAllowClusterUrls: this.#allowUrls,
      });
    } catch (error) {
      return ignore((error as Error).message);
    }
    const authMetadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(annotations)) {
      if (key.startsWith('kubernetes.io/') && key !== 'serviceAccountToken')
        authMetadata[key] = value;
    }
    return {
      name,
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      url,
      authMetadata,
      caData: annotations[ANNOTATION_KUBERNETES_API_SERVER_CA],
      skipMetricsLookup:
        annotations[ANNOTATION_KUBERNETES_SKIP_METRICS_LOOKUP] === 'true',
      skipTLSVerify:
        this.#allowSkipTLSVerify &&
        annotations[ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY] === 'true',
      dashboardUrl: annotations[ANNOTATION_KUBERNETES_DASHBOARD_URL],
      dashboardApp: annotations[ANNOTATION_KUBERNETES_DASHBOARD_APP],
    };
  }

  #warnOnce(key: string, message: string) {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#logger.warn(message);
  }
}
