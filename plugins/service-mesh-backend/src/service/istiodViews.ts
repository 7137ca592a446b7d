/*
 * istiod's view in the REST answers: the overview carries each cluster's IstiodView as collected (already reduced:
 * counts plus at most a few hundred problem rows per istiod); the entity tab gets the sync of its own proxies.
 */
import type {
  ClusterMeshData,
  EntityProxySync,
  IstiodViewStatus,
  MeshWorkload,
} from '@internal/plugin-service-mesh-common';

const STATUS_ORDER: IstiodViewStatus[] = [
  'ok',
  'disabled',
  'unauthenticated',
  'unreachable',
  'forbidden',
  'error',
];

/** The entity's proxies in one cluster: its pods are `<workload>-…` in the workload's namespace. */
export function entityProxySync(
  data: ClusterMeshData | undefined,
  workloads: MeshWorkload[],
): EntityProxySync | undefined {
  const views = data?.istiod;
  if (!views?.length || workloads.length === 0) return undefined;
  const owns = (namespace: string, pod: string) =>
    workloads.some(
      w =>
        w.namespace === namespace &&
        (pod === w.name || pod.startsWith(`${w.name}-`)),
    );
  const status = views
    .map(v => v.status)
    .reduce((a, b) =>
      STATUS_ORDER.indexOf(b) > STATUS_ORDER.indexOf(a) ? b : a,
    );
  const failed = views.find(v => v.status === status && v.error);
  const rows = views.flatMap(v =>
    (v.proxies?.rows ?? [])
      .filter(r => owns(r.namespace, r.pod))
      .map(r => ({ ...r, ...(v.pod ? { istiod: v.pod } : {}) })),
  );
  const proxies = workloads.reduce((n, w) => n + w.podsWithSidecar, 0);
  // Every problem proxy is listed unless a view capped its rows; then the synced count is unknown.
  const complete = views.every(
    v => v.proxies && v.proxies.rowsTotal <= v.proxies.rows.length,
  );
  const observedAt = views.find(v => v.observedAt)?.observedAt;
  const readAt = views
    .map(v => v.proxiesReadAt)
    .filter((t): t is string => !!t)
    .sort()[0];
  return {
    status,
    ...(failed?.error ? { error: failed.error } : {}),
    ...(observedAt ? { observedAt } : {}),
    ...(readAt ? { readAt } : {}),
    proxies,
    ...(complete ? { synced: Math.max(0, proxies - rows.length) } : {}),
    rows,
  };
}
