import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from './constants';
import type { EntitySelector } from './types/api';

/** The part of a catalog entity that matching needs (avoids a dependency on the catalog model here). */
export interface EntityLike {
  metadata: { annotations?: Record<string, string> };
}

/**
 * The entity's mesh selector from the Kubernetes plugin's annotations, or undefined when the entity has neither
 * `backstage.io/kubernetes-id` nor `backstage.io/kubernetes-label-selector`.
 */
export function getEntitySelector(
  entity: EntityLike,
): EntitySelector | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const kubernetesId = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  const labelSelector =
    annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  if (!kubernetesId && !labelSelector) return undefined;
  return {
    ...(kubernetesId ? { kubernetesId } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(namespace ? { namespace } : {}),
  };
}
