import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { serviceMeshPermissions } from '@internal/plugin-service-mesh-common';
import {
  applyClusterExtensions,
  serviceMeshAuthStrategyExtensionPoint,
  ServiceMeshClusterExtensions,
  serviceMeshClusterSupplierExtensionPoint,
  serviceMeshClustersServiceRef,
} from '@internal/plugin-service-mesh-node';
import { readServiceMeshConfig } from './cluster/config';
import { createRouter } from './service/router';
import { SnapshotSignalPublisher } from './service/SnapshotSignalPublisher';
import { meshSnapshotServiceRef } from './snapshot/meshSnapshotServiceRef';
import { meshTrafficServiceRef } from './metrics/meshTrafficServiceRef';
import { readMetricsConfig } from './metrics/config';
import { MeshTimeSeriesService } from './metrics/timeseries';
import { findingsTrendServiceRef } from './trend/findingsTrendServiceRef';

/**
 * The service-mesh backend plugin: reads every cluster of the mesh into a snapshot and serves it.
 *
 * @public
 */
export const serviceMeshPlugin = createBackendPlugin({
  pluginId: 'service-mesh',
  register(env) {
    // Modules plug in a cluster supplier or auth strategies; cluster access (shared with the scaffolder
    // module) uses them from the plugin's init on.
    const clusterExtensions = new ServiceMeshClusterExtensions();
    env.registerExtensionPoint(
      serviceMeshClusterSupplierExtensionPoint,
      clusterExtensions,
    );
    env.registerExtensionPoint(
      serviceMeshAuthStrategyExtensionPoint,
      clusterExtensions,
    );
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        clusters: serviceMeshClustersServiceRef,
        snapshot: meshSnapshotServiceRef,
        traffic: meshTrafficServiceRef,
        auditor: coreServices.auditor,
        signals: signalsServiceRef,
        lifecycle: coreServices.lifecycle,
        trend: findingsTrendServiceRef,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        clusters,
        snapshot,
        traffic,
        auditor,
        signals,
        lifecycle,
        trend,
      }) {
        permissionsRegistry.addPermissions(serviceMeshPermissions);
        applyClusterExtensions(clusters, clusterExtensions);

        const { refreshIntervalSeconds } = readServiceMeshConfig(config);
        // Clusters are located at every refresh (the first one runs at startup); a cluster that cannot be read
        // server-side (client-side provider, unknown provider) is logged once as a warning then.
        logger.info(
          `Reading the mesh clusters every ${refreshIntervalSeconds}s`,
        );
        // The snapshot service schedules the refresh as a global task: with several replicas on one database,
        // one of them reads the clusters per interval and all serve the snapshot it stores (docs/production.md).
        await snapshot.start?.({
          // Keeps the findings window warm (one query pair per TTL at most), so MESH080/081 are ready.
          afterRefresh: () =>
            traffic
              .traffic(traffic.findingsWindow)
              .then(() => undefined)
              .catch(error => logger.warn(`Live traffic failed: ${error}`)),
        });

        // Browsers reload when a new snapshot lands (signals), or poll where signals are not installed.
        const announcer = new SnapshotSignalPublisher({
          snapshot,
          signals,
          logger,
        });
        announcer.start();
        lifecycle.addShutdownHook(() => announcer.stop());

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            catalog,
            snapshot,
            traffic,
            auditor,
            trend,
            timeseries: new MeshTimeSeriesService({
              logger,
              config: readMetricsConfig(config),
              snapshot,
            }),
          }),
        );
      },
    });
  },
});
