/*
 * The snapshot as a plugin-scoped service, so tests and adopters can replace it without touching the plugin or
 * the router. The default owns the refresh: it schedules the global refresh task and keeps the snapshot in the
 * plugin's database, shared by every replica (see docs/production.md). A replacement brings its own refresh.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { serviceMeshClustersServiceRef } from '@internal/plugin-service-mesh-node';
import { readServiceMeshConfig } from '../cluster/config';
import { readIstiodSettings } from '../collectors/istiodConfig';
import { readSnapshotStoreConfig } from './config';
import { createMeshSnapshotService } from './createMeshSnapshotService';
import { MeshSnapshotService } from './MeshSnapshotService';
import { meshCacheServiceRef } from '../cache/meshCacheServiceRef';
import { findingsTrendServiceRef } from '../trend/findingsTrendServiceRef';

/** @public */
export const meshSnapshotServiceRef = createServiceRef<MeshSnapshotService>({
  id: 'service-mesh.snapshot',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        cache: meshCacheServiceRef,
        clusters: serviceMeshClustersServiceRef,
        trend: findingsTrendServiceRef,
      },
      factory: ({
        logger,
        config,
        database,
        scheduler,
        lifecycle,
        cache,
        clusters,
        trend,
      }) =>
        createMeshSnapshotService({
          logger,
          config: readServiceMeshConfig(config),
          clusters,
          storeConfig: readSnapshotStoreConfig(config),
          istiod: readIstiodSettings(config),
          database,
          scheduler,
          lifecycle,
          cache,
          trend,
        }),
    }),
});
