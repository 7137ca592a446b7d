/*
 * Live traffic as a plugin-scoped service, so tests and adopters can replace it (e.g. with another metrics
 * backend) without touching the plugin or the router.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { meshSnapshotServiceRef } from '../snapshot/meshSnapshotServiceRef';
import { meshCacheServiceRef } from '../cache/meshCacheServiceRef';
import { readMetricsConfig } from './config';
import {
  DefaultMeshTrafficService,
  MeshTrafficService,
} from './MeshTrafficService';

/** @public */
export const meshTrafficServiceRef = createServiceRef<MeshTrafficService>({
  id: 'service-mesh.traffic',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        shared: meshCacheServiceRef,
        snapshot: meshSnapshotServiceRef,
      },
      factory: ({ logger, config, shared, snapshot }) =>
        DefaultMeshTrafficService.create({
          logger,
          config: readMetricsConfig(config),
          snapshot,
          shared,
        }),
    }),
});
