/*
 * The snapshot as a plugin-scoped service, so tests and adopters can replace it (e.g. with a shared store)
 * without touching the plugin or the router.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readServiceMeshConfig } from '../cluster/config';
import {
  DefaultMeshSnapshotService,
  MeshSnapshotService,
} from './MeshSnapshotService';

/** @public */
export const meshSnapshotServiceRef = createServiceRef<MeshSnapshotService>({
  id: 'service-mesh.snapshot',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { logger: coreServices.logger, config: coreServices.rootConfig },
      factory: ({ logger, config }) =>
        DefaultMeshSnapshotService.create({
          logger,
          config: readServiceMeshConfig(config),
        }),
    }),
});
