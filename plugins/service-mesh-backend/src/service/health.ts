/*
 * `/health` and `/ready`. `/health` answers 200 while the process serves requests (a liveness probe) and says in
 * its body which dependency is degraded: the snapshot store (the plugin database), the shared cache, the
 * metrics store. `/ready` answers 503 only when this replica has nothing to serve: the store is unusable and no
 * snapshot is in memory (a readiness probe: take the replica out of the load balancer, do not restart it).
 */
import { ServiceUnavailableError } from '@backstage/errors';
import type { Router } from 'express';
import type { MeshTrafficService } from '../metrics/MeshTrafficService';
import type { MeshSnapshotService } from '../snapshot/MeshSnapshotService';

export interface DependencyHealth {
  status: 'ok' | 'degraded' | 'unconfigured';
  [detail: string]: unknown;
}

export interface MeshHealth {
  /** `degraded`: a dependency fails, and the replica answers from what it has. */
  status: 'ok' | 'degraded';
  /** False when the replica cannot serve a snapshot at all (see `/ready`). */
  ready: boolean;
  dependencies: {
    store: DependencyHealth;
    cache: DependencyHealth;
    metrics: DependencyHealth;
  };
}

const FAILING_METRICS = new Set(['unreachable', 'unauthorized', 'error']);

function metricsHealth(
  metrics: { status: string; reason?: string } | undefined,
): DependencyHealth {
  if (!metrics || metrics.status === 'unconfigured') {
    return {
      status: 'unconfigured',
      ...(metrics?.reason ? { reason: metrics.reason } : {}),
    };
  }
  return {
    status: FAILING_METRICS.has(metrics.status) ? 'degraded' : 'ok',
    result: metrics.status,
    ...(metrics.reason ? { reason: metrics.reason } : {}),
  };
}

export function meshHealth(
  snapshot: MeshSnapshotService,
  traffic?: MeshTrafficService,
): MeshHealth {
  const store = snapshot.health?.();
  const trafficHealth = traffic?.health?.();
  const metrics = trafficHealth?.metrics;
  const cache = trafficHealth?.cache;
  const dependencies: MeshHealth['dependencies'] = {
    store: store
      ? { ...store, status: store.status === 'failing' ? 'degraded' : 'ok' }
      : { status: 'ok' },
    cache: cache ? { ...cache } : { status: 'unconfigured' },
    metrics: metricsHealth(metrics),
  };
  const degraded = Object.values(dependencies).some(
    d => d.status === 'degraded',
  );
  return {
    status: degraded ? 'degraded' : 'ok',
    ready: !(store?.status === 'failing' && !store.hasSnapshot),
    dependencies,
  };
}

export function addHealthRoutes(
  router: Router,
  snapshot: MeshSnapshotService,
  traffic?: MeshTrafficService,
): void {
  router.get('/health', (_req, res) => {
    res.json(meshHealth(snapshot, traffic));
  });
  router.get('/ready', (_req, res) => {
    const health = meshHealth(snapshot, traffic);
    if (!health.ready) {
      throw new ServiceUnavailableError(
        `Not ready: the snapshot store (the plugin database) is unavailable and this replica holds no snapshot: ${
          health.dependencies.store.error ?? 'unknown error'
        }`,
      );
    }
    res.json(health);
  });
}
