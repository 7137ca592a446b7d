/*
 * Cluster access as a plugin-scoped service, so the service-mesh backend plugin and the scaffolder module (a
 * module of another plugin) read clusters the same way. What is shared across plugins lives in the root
 * context: the auth strategies (Azure's token cache) and what modules added through the extension points.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { defaultAuthStrategies } from './auth/strategies';
import { DefaultServiceMeshClustersService } from './DefaultServiceMeshClustersService';
import { ServiceMeshClusterExtensions } from './extensions';
import type { ServiceMeshClustersService } from './types';

/** @public */
export const serviceMeshClustersServiceRef =
  createServiceRef<ServiceMeshClustersService>({
    id: 'service-mesh.clusters',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          rootConfig: coreServices.rootConfig,
          rootLogger: coreServices.rootLogger,
          logger: coreServices.logger,
          auth: coreServices.auth,
          catalog: catalogServiceRef,
        },
        createRootContext: ({ rootConfig, rootLogger }) => ({
          strategies: defaultAuthStrategies({
            config: rootConfig,
            logger: rootLogger.child({ service: 'service-mesh.clusters' }),
          }),
          extensions: new ServiceMeshClusterExtensions(),
        }),
        factory: ({ rootConfig, logger, auth, catalog }, shared) =>
          DefaultServiceMeshClustersService.fromConfig({
            config: rootConfig,
            logger,
            auth,
            catalog,
            strategies: shared.strategies,
            extensions: shared.extensions,
          }),
      }),
  });

/**
 * Hands what the service-mesh plugin's modules added through its extension points to the clusters service;
 * the plugin calls it in its init, before the first refresh.
 *
 * @public
 */
export function applyClusterExtensions(
  service: ServiceMeshClustersService,
  extensions: ServiceMeshClusterExtensions,
): void {
  if (!extensions.clusterSupplier && extensions.authStrategies.size === 0)
    return;
  const target = service as Partial<
    Pick<DefaultServiceMeshClustersService, 'addExtensions'>
  >;
  if (typeof target.addExtensions !== 'function') {
    throw new Error(
      'serviceMeshClustersServiceRef was replaced by a service that cannot take the cluster supplier or auth strategies that modules added',
    );
  }
  target.addExtensions(extensions);
}
