/*
 * Remote secrets (label istio/multiCluster=true) tell which clusters this cluster's istiod discovers. They hold
 * kubeconfigs with tokens, so they are listed as PartialObjectMetadata and only names and annotations are read:
 * even if an API server ignored the metadata-only Accept header, nothing but metadata leaves this function.
 */
import {
  LABELS,
  REMOTE_SECRET_CLUSTER_ANNOTATION,
  REMOTE_SECRET_PREFIX,
  RemoteSecret,
} from '@internal/plugin-service-mesh-common';
import { mapEach, MappingContext } from './objects';

export function mapRemoteSecrets(
  items: unknown[],
  ctx: MappingContext,
): RemoteSecret[] {
  return mapEach(items, 'Secret', ctx, (_obj, meta) => {
    if (meta.labels[LABELS.multiClusterSecret] !== 'true') return undefined;
    const cluster =
      meta.annotations[REMOTE_SECRET_CLUSTER_ANNOTATION] ||
      (meta.name.startsWith(REMOTE_SECRET_PREFIX)
        ? meta.name.slice(REMOTE_SECRET_PREFIX.length)
        : meta.name);
    return { namespace: meta.namespace ?? '', name: meta.name, cluster };
  });
}
