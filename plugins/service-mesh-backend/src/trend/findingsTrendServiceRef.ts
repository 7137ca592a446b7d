/*
 * The findings trend as a plugin-scoped service: the snapshot service writes to it when it publishes, the router
 * reads it. It lives where the snapshot lives (`serviceMesh.snapshot.store`): the plugin's database by default.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readSnapshotStoreConfig } from '../snapshot/config';
import { replicaName } from '../snapshot/createMeshSnapshotService';
import { migrateSnapshotTables } from '../snapshot/database/migrations';
import { readFindingsTrendConfig } from './config';
import {
  DatabaseFindingsTrendStore,
  FindingsTrendStore,
  InMemoryFindingsTrendStore,
} from './FindingsTrendStore';

export const findingsTrendServiceRef = createServiceRef<FindingsTrendStore>({
  id: 'service-mesh.findings-trend',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
      },
      async factory({ config, database }) {
        const trendConfig = readFindingsTrendConfig(config);
        if (readSnapshotStoreConfig(config).store === 'memory') {
          return new InMemoryFindingsTrendStore(trendConfig);
        }
        const knex = await database.getClient();
        if (!database.migrations?.skip) await migrateSnapshotTables(knex);
        return new DatabaseFindingsTrendStore({
          knex,
          config: trendConfig,
          owner: replicaName(),
        });
      },
    }),
});
