/*
 * The plugin's one shared cache: Backstage's CacheService behind ResilientCache, so that every user of it (live
 * traffic results, refresh progress) is bounded by the same timeout and falls back to the same in-process copy,
 * and a lost Redis is reported once per replica, not once per user.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ResilientCache } from './ResilientCache';

export const meshCacheServiceRef = createServiceRef<ResilientCache>({
  id: 'service-mesh.cache',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
      },
      factory: ({ logger, config, cache }) =>
        new ResilientCache({
          cache,
          logger,
          storeName: config.getOptionalString('backend.cache.store'),
        }),
    }),
});
