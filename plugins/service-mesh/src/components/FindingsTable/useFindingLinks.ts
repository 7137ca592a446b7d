import { useMemo } from 'react';
import { Entity } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  kubernetesApiRef,
  kubernetesClusterLinkFormatterApiRef,
} from '@backstage/plugin-kubernetes-react';
import {
  KUBERNETES_ID_ANNOTATION,
  type Finding,
} from '@internal/plugin-service-mesh-common';
import useAsync from 'react-use/esm/useAsync';
import { useOptionalRouteRef } from '../../hooks/useOptionalRouteRef';
import {
  fillTemplate,
  findingValues,
  formatterObject,
  owningEntities,
} from '../../utils/links';

export interface FindingLink {
  label: string;
  href: string;
}

/** The catalog's entities that carry the Kubernetes plugin's id annotation (one query per table). */
export function useMeshEntities(): Entity[] {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const { value } = useAsync(async () => {
    if (!catalogApi) return [];
    const { items } = await catalogApi.getEntities({
      filter: {
        [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]:
          CATALOG_FILTER_EXISTS,
      },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
        'metadata.title',
      ],
    });
    return items;
  }, [catalogApi]);
  return value ?? [];
}

/** The path of an entity's page; undefined when the app has no catalog entity route. */
function useEntityPath(): ((entity: Entity) => string) | undefined {
  const route = useOptionalRouteRef(entityRouteRef);
  return useMemo(
    () =>
      route ? (entity: Entity) => route(entityRouteParams(entity)) : undefined,
    [route],
  );
}

/** Links to the owning entities and their Kubernetes tabs. */
export function useEntityLinks(
  finding: Finding,
  entities: Entity[],
): FindingLink[] {
  const entityPath = useEntityPath();
  return useMemo(() => {
    if (!entityPath) return [];
    return owningEntities(finding, entities).flatMap(entity => {
      const path = entityPath(entity);
      const name = entity.metadata.title ?? entity.metadata.name;
      return [
        { label: name, href: path },
        { label: `${name}: Kubernetes tab`, href: `${path}/kubernetes` },
      ];
    });
  }, [finding, entities, entityPath]);
}

/** Kiali and Grafana, from `serviceMesh.links` in app-config (the code's docs: useFindingDocsLink). */
export function useConfiguredLinks(finding: Finding): FindingLink[] {
  const config = useApiHolder().get(configApiRef);
  const read = (key: string) =>
    config?.getOptionalString(`serviceMesh.links.${key}`);
  const values = findingValues(finding);
  const links: FindingLink[] = [];
  const kiali = fillTemplate(read('kiali'), values);
  if (kiali) links.push({ label: 'Kiali', href: kiali });
  const grafana = fillTemplate(read('grafana'), values);
  if (grafana) links.push({ label: 'Grafana', href: grafana });
  return links;
}

/**
 * The object in the cluster's console, through the Kubernetes plugin's link formatters (GKE, EKS, AKS, OpenShift,
 * Rancher, Headlamp, standard) and the cluster's `dashboardUrl`; none without the Kubernetes plugin or a URL.
 */
export function useConsoleLink(finding: Finding): FindingLink | undefined {
  const holder = useApiHolder();
  const kubernetesApi = holder.get(kubernetesApiRef);
  const formatter = holder.get(kubernetesClusterLinkFormatterApiRef);
  const { value } = useAsync(async () => {
    const object = formatterObject(finding);
    const clusterName = finding.clusters[0];
    if (!kubernetesApi || !formatter || !object || !clusterName)
      return undefined;
    const cluster = await kubernetesApi
      .getCluster(clusterName)
      .catch(() => undefined);
    if (!cluster?.dashboardUrl) return undefined;
    const href = await formatter
      .formatClusterLink({ dashboardUrl: cluster.dashboardUrl, ...object })
      .catch(() => undefined);
    return href ? { label: `${clusterName} console`, href } : undefined;
  }, [finding, kubernetesApi, formatter]);
  return value;
}
