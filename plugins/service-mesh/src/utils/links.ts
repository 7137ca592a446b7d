/*
 * Links from a finding to where it is fixed. Pure: the hooks in components/FindingsTable feed them.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  type Finding,
} from '@internal/plugin-service-mesh-common';

/**
 * Fills `{cluster}`, `{namespace}`, `{kind}`, `{name}` with URL-encoded values; undefined when the template uses a
 * placeholder without a value (a link to the wrong place is worse than none).
 */
export function fillTemplate(
  template: string | undefined,
  values: Partial<Record<'cluster' | 'namespace' | 'kind' | 'name', string>>,
): string | undefined {
  if (!template) return undefined;
  let missing = false;
  const url = template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = (values as Record<string, string | undefined>)[key];
    if (value === undefined || value === '') {
      missing = true;
      return whole;
    }
    return encodeURIComponent(value);
  });
  return missing ? undefined : url;
}

/** The template values of a finding: its first cluster and its resource. */
export function findingValues(finding: Finding) {
  return {
    cluster: finding.clusters[0],
    namespace: finding.resource?.namespace,
    kind: finding.resource?.kind,
    name: finding.resource?.name,
  };
}

/**
 * Catalog entities that own the finding's resource, by the Kubernetes plugin's annotations: an entity whose
 * `backstage.io/kubernetes-id` is the resource's name (and whose namespace annotation, if any, is the resource's
 * namespace); else the entities annotated with exactly that namespace.
 */
export function owningEntities(finding: Finding, entities: Entity[]): Entity[] {
  const resource = finding.resource;
  if (!resource?.namespace) return [];
  const annotations = (e: Entity) => e.metadata.annotations ?? {};
  const inNamespace = (e: Entity) => {
    const ns = annotations(e)[KUBERNETES_NAMESPACE_ANNOTATION];
    return ns === undefined || ns === resource.namespace;
  };
  const byId = entities.filter(
    e =>
      annotations(e)[KUBERNETES_ID_ANNOTATION] === resource.name &&
      inNamespace(e),
  );
  if (byId.length) return byId;
  return entities.filter(
    e => annotations(e)[KUBERNETES_NAMESPACE_ANNOTATION] === resource.namespace,
  );
}

/** A Kubernetes object as the Kubernetes plugin's cluster link formatters take it. */
export function formatterObject(finding: Finding) {
  const r = finding.resource;
  if (!r) return undefined;
  return {
    kind: r.kind,
    object: {
      kind: r.kind,
      metadata: { name: r.name, namespace: r.namespace },
    },
  };
}
