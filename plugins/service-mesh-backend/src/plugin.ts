import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { serviceMeshPermissions } from '@internal/plugin-service-mesh-common';
import { readServiceMeshConfig } from './cluster/config';
import { createRouter } from './service/router';
import { meshSnapshotServiceRef } from './snapshot/meshSnapshotServiceRef';

/**
 * The service-mesh backend plugin: reads every cluster of the mesh into a snapshot and serves it.
 *
 * @public
 */
export const serviceMeshPlugin = createBackendPlugin({
  pluginId: 'service-mesh',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        snapshot: meshSnapshotServiceRef,
      },
      async init({
        logger,
        config,
        scheduler,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        snapshot,
      }) {
        permissionsRegistry.addPermissions(serviceMeshPermissions);

        const { refreshIntervalSeconds, clusterTimeoutSeconds, clusters } =
          readServiceMeshConfig(config);
        logger.info(
          `Reading ${clusters.length} clusters every ${refreshIntervalSeconds}s`,
        );
        // Global scope: with several replicas, one of them polls the clusters per interval.
        await scheduler.scheduleTask({
          id: 'service-mesh:refresh-snapshot',
          frequency: { seconds: refreshIntervalSeconds },
          timeout: { seconds: Math.max(60, clusterTimeoutSeconds * 3) },
          scope: 'global',
          fn: async () => {
            await snapshot.refresh();
          },
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            catalog,
            snapshot,
          }),
        );
      },
    });
  },
});
