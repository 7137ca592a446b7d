/*
 * Assembles the snapshot service from the plugin's core services: the store (the plugin's database by default),
 * the refresh task on the scheduler and, with a shared store, the coordination between replicas.
 */
import {
  DatabaseService,
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { hostname } from 'node:os';
import { ServiceMeshClustersService } from '@internal/plugin-service-mesh-node';
import { ServiceMeshConfig } from '../cluster/config';
import { IstiodSettings } from '../collectors/istiodConfig';
import { refreshTimeoutSeconds, SnapshotStoreConfig } from './config';
import { DatabaseSnapshotStore } from './DatabaseSnapshotStore';
import { DefaultMeshSnapshotService } from './MeshSnapshotService';
import { RefreshCoordinator, REFRESH_TASK_ID } from './RefreshCoordinator';
import { DatabaseRefreshLease } from './RefreshLease';
import {
  DefaultRefreshProgressTracker,
  ProgressCache,
} from './RefreshProgress';
import { InMemorySnapshotStore, SnapshotStore } from './SnapshotStore';
import { FindingsTrendStore } from '../trend/FindingsTrendStore';
import { TrendRecordingSnapshotStore } from '../trend/TrendRecordingSnapshotStore';

export interface CreateMeshSnapshotServiceOptions {
  logger: LoggerService;
  config: ServiceMeshConfig;
  storeConfig: SnapshotStoreConfig;
  database: DatabaseService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  clusters: Pick<ServiceMeshClustersService, 'listClusters' | 'createClient'>;
  /** Shares the refresh progress between replicas (see RefreshProgress): the plugin's ResilientCache. */
  cache?: ProgressCache;
  istiod?: IstiodSettings;
  /** Gets a point per published snapshot (GET /findings/trend). */
  trend?: FindingsTrendStore;
}

/** This replica, as named in the refresh lease and the snapshot manifest. */
export function replicaName(): string {
  return `${hostname()}:${process.pid}`;
}

export async function createMeshSnapshotService(
  options: CreateMeshSnapshotServiceOptions,
): Promise<DefaultMeshSnapshotService> {
  const { logger, config, storeConfig, database, scheduler, lifecycle } =
    options;
  const recorded = (store: SnapshotStore) =>
    options.trend
      ? new TrendRecordingSnapshotStore(store, options.trend, logger)
      : store;
  const timeoutSeconds = refreshTimeoutSeconds(config.clusterTimeoutSeconds);
  const owner = replicaName();
  const progress = new DefaultRefreshProgressTracker({
    cache: storeConfig.store === 'memory' ? undefined : options.cache,
    logger,
  });

  if (storeConfig.store === 'memory') {
    // Nothing is shared: every replica reads the clusters itself.
    return withWatchesStopped(
      lifecycle,
      DefaultMeshSnapshotService.create({
        logger,
        config,
        clusters: options.clusters,
        istiod: options.istiod,
        progress,
        store: recorded(new InMemorySnapshotStore()),
        schedule: run =>
          scheduler.scheduleTask({
            id: REFRESH_TASK_ID,
            frequency: { seconds: config.refreshIntervalSeconds },
            timeout: { seconds: timeoutSeconds },
            scope: 'local',
            fn: () => run(),
          }),
      }),
    );
  }

  const knex = await database.getClient();
  if (
    storeConfig.takeoverAfterSeconds > 0 &&
    storeConfig.takeoverAfterSeconds >= timeoutSeconds
  ) {
    logger.warn(
      `serviceMesh.snapshot.takeoverAfterSeconds (${storeConfig.takeoverAfterSeconds}) is not below the refresh task timeout (${timeoutSeconds}s): the scheduler releases a dead replica's lock first`,
    );
  }
  const coordinator = new RefreshCoordinator({
    scheduler,
    lease: new DatabaseRefreshLease(knex),
    logger,
    lifecycle,
    owner,
    intervalSeconds: config.refreshIntervalSeconds,
    timeoutSeconds,
    takeoverAfterSeconds: storeConfig.takeoverAfterSeconds,
  });
  const store = await DatabaseSnapshotStore.create({
    knex,
    logger,
    skipMigrations: database.migrations?.skip,
    pollIntervalMs: storeConfig.pollIntervalMs,
    chunkBytes: storeConfig.chunkBytes,
    owner,
    garbageAfterMs: Math.max(10 * 60, 2 * timeoutSeconds) * 1000,
    onOutdatedSnapshot: () => {
      coordinator
        .trigger()
        .catch(error =>
          logger.warn(`Failed to trigger a mesh refresh: ${error}`),
        );
    },
  });
  store.startPolling();
  lifecycle.addShutdownHook(() => store.stopPolling());
  return withWatchesStopped(
    lifecycle,
    DefaultMeshSnapshotService.create({
      logger,
      config,
      clusters: options.clusters,
      istiod: options.istiod,
      progress,
      store: recorded(store),
      coordinator,
      schedule: run => coordinator.schedule(run),
    }),
  );
}

/** Watch mode: the informers end with the backend (their long requests would hold the shutdown). */
function withWatchesStopped(
  lifecycle: LifecycleService,
  service: DefaultMeshSnapshotService,
): DefaultMeshSnapshotService {
  lifecycle.addShutdownHook(() => service.stop());
  return service;
}
