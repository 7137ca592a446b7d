/*
 * istiod's view for the test fixtures (internal): `withIstiod(healthyMesh())` gives every primary the view of a
 * healthy istiod (every remote synced, every proxy SYNCED on the control plane's version).
 */
import type { IstiodView, MeshSnapshot, ProxySyncRow } from '../types/snapshot';
import { NOW } from './fixtures';

export function healthyIstiodView(
  cluster: string,
  remotes: string[],
): IstiodView {
  return {
    revision: '1-22',
    namespace: 'istio-system',
    pod: `istiod-1-22-abc-${cluster}`,
    status: 'ok',
    observedAt: NOW.toISOString(),
    clusterId: cluster,
    remoteClusters: remotes.map(id => ({
      id,
      secretName: `istio-system/istio-remote-secret-${id}`,
      syncStatus: 'synced',
    })),
    proxies: {
      total: 10,
      synced: 10,
      byNamespace: [
        {
          clusterId: cluster,
          namespace: 'shop',
          proxies: 10,
          synced: 10,
          stale: 0,
          notSent: 0,
          error: 0,
        },
      ],
      versions: [{ version: '1.22.4', proxies: 10 }],
      rows: [],
      rowsTotal: 0,
    },
  };
}

export function withIstiod(snapshot: MeshSnapshot): MeshSnapshot {
  const copy = structuredClone(snapshot);
  for (const c of copy.clusters) {
    if (c.role !== 'member' || !c.data?.controlPlanes.length) continue;
    c.data.istiod = [
      healthyIstiodView(
        c.name,
        c.data.remoteSecrets.map(s => s.cluster),
      ),
    ];
  }
  return copy;
}

/** A proxy row not fully synced, `minutesAgo` before NOW. */
export function staleRow(
  pod: string,
  namespace: string,
  minutesAgo: number,
  state: 'STALE' | 'NOT SENT' | 'ERROR' = 'STALE',
  cluster = 'cluster1',
): ProxySyncRow {
  const since = new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
  return {
    pod,
    namespace,
    clusterId: cluster,
    proxyType: 'sidecar',
    version: '1.22.4',
    xds: {
      CDS: { state: 'SYNCED', since },
      EDS: {
        state,
        since,
        ...(state === 'ERROR'
          ? { error: 'Proto constraint validation failed' }
          : {}),
      },
    },
  };
}
