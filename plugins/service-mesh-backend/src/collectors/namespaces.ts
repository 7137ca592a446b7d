/*
 * Namespaces and their mesh labels. Every namespace is kept (name and labels are small) so the analysis can tell
 * "onboarded here, not onboarded there" from "missing there".
 */
import {
  ISTIO_SYSTEM_NAMESPACE,
  LABELS,
  MeshNamespace,
} from '@internal/plugin-service-mesh-common';
import { share } from './intern';
import { compact, mapEach, MappingContext } from './objects';

export interface NamespacesData {
  namespaces: MeshNamespace[];
  /** Label `topology.istio.io/network` of istio-system. */
  systemNamespaceNetwork?: string;
}

export function mapNamespaces(
  items: unknown[],
  ctx: MappingContext,
): NamespacesData {
  let systemNamespaceNetwork: string | undefined;
  const namespaces = mapEach(items, 'Namespace', ctx, (_obj, meta) => {
    if (meta.name === ISTIO_SYSTEM_NAMESPACE) {
      systemNamespaceNetwork = meta.labels[LABELS.network] || undefined;
    }
    return share(
      compact<MeshNamespace>({
        name: meta.name,
        labels: meta.labels,
        ...injection(meta.labels),
      }),
    );
  });
  return { namespaces, systemNamespaceNetwork };
}

/**
 * Whether pods of a namespace with these labels get a sidecar, and from which revision. `istio-injection`
 * wins over `istio.io/rev` (that conflict is MESH060); Alauda's `cpaas.io/serviceMesh=enabled` marks the
 * namespace as managed and comes with `istio.io/rev`.
 */
export function injection(labels: Record<string, string>): {
  onboarded: boolean;
  revision?: string;
} {
  const legacy = labels[LABELS.injection];
  if (legacy === 'disabled') return { onboarded: false };
  if (legacy === 'enabled') return { onboarded: true, revision: 'default' };
  const revision = labels[LABELS.revision] || undefined;
  if (revision) return { onboarded: true, revision };
  if (labels[LABELS.alaudaServiceMesh] === 'enabled')
    return { onboarded: true };
  return { onboarded: false };
}
