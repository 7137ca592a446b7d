/*
 * Namespaces and their mesh labels. Every namespace is kept (name and labels are small) so the analysis can tell
 * "onboarded here, not onboarded there" from "missing there".
 */
import {
  ISTIO_SYSTEM_NAMESPACE,
  LABELS,
  MeshNamespace,
  namespaceInjection,
  TRAFFIC_DISTRIBUTION_ANNOTATION,
} from '@internal/plugin-service-mesh-common';
import { share } from './intern';
import { compact, mapEach, MappingContext } from './objects';

export interface NamespacesData {
  namespaces: MeshNamespace[];
  /** Label `topology.istio.io/network` of istio-system. */
  systemNamespaceNetwork?: string;
  /** Annotation `topology.istio.io/controlPlaneClusters` of istio-system (a remote's config clusters). */
  controlPlaneClusters?: string[];
}

export const CONTROL_PLANE_CLUSTERS_ANNOTATION =
  'topology.istio.io/controlPlaneClusters';

export function mapNamespaces(
  items: unknown[],
  ctx: MappingContext,
): NamespacesData {
  let systemNamespaceNetwork: string | undefined;
  let controlPlaneClusters: string[] | undefined;
  const namespaces = mapEach(items, 'Namespace', ctx, (_obj, meta) => {
    if (meta.name === ISTIO_SYSTEM_NAMESPACE) {
      systemNamespaceNetwork = meta.labels[LABELS.network] || undefined;
      const value = meta.annotations[CONTROL_PLANE_CLUSTERS_ANNOTATION];
      if (value)
        controlPlaneClusters = value
          .split(',')
          .map(v => v.trim())
          .filter(Boolean);
    }
    return share(
      compact<MeshNamespace>({
        name: meta.name,
        labels: meta.labels,
        ...namespaceInjection(meta.labels),
        trafficDistribution:
          meta.annotations[TRAFFIC_DISTRIBUTION_ANNOTATION] || undefined,
      }),
    );
  });
  return {
    namespaces,
    systemNamespaceNetwork,
    ...(controlPlaneClusters ? { controlPlaneClusters } : {}),
  };
}
