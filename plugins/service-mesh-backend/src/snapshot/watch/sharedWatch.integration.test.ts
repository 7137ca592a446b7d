/*
 * Watch mode with replicas on one database: the replica that watches publishes each change to the shared store,
 * and a replica that never reads a cluster serves it (kube-sim over HTTP, the real snapshot store).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { appConfigFragment, RunningSimulator } from '@internal/kube-sim';
import { DefaultServiceMeshClustersService } from '@internal/plugin-service-mesh-node';
import { readServiceMeshConfig } from '../../cluster/config';
import { eventually } from '../../__testUtils__/eventually';
import { startSim } from '../../__testUtils__/kubeSim';
import { Knex, migrateSnapshotTables } from '../database/migrations';
import { DatabaseSnapshotStore } from '../DatabaseSnapshotStore';
import { DefaultMeshSnapshotService } from '../MeshSnapshotService';
import { storeTestDatabases } from '../__testUtils__/storeDatabases';

jest.setTimeout(60_000);

const databases = storeTestDatabases();

describe.each(databases.eachSupportedId())(
  'watch mode, replicas sharing one database (%s)',
  id => {
    let sim: RunningSimulator;
    let knex: Knex;
    const services: DefaultMeshSnapshotService[] = [];

    beforeAll(async () => {
      sim = await startSim('demo');
    });

    afterAll(async () => {
      await Promise.all(services.map(s => s.stop()));
      await sim?.stop();
    });

    async function replica(mode: 'watch' | 'poll') {
      const fragment = appConfigFragment(sim) as {
        serviceMesh?: object;
      };
      const config = new ConfigReader({
        ...fragment,
        serviceMesh: { ...fragment.serviceMesh, mode },
      } as any);
      const logger = mockServices.logger.mock();
      const store = await DatabaseSnapshotStore.create({
        knex,
        logger,
        pollIntervalMs: 0,
      });
      const service = DefaultMeshSnapshotService.create({
        logger,
        config: readServiceMeshConfig(config),
        clusters: DefaultServiceMeshClustersService.fromConfig({
          config,
          logger,
        }),
        store,
        watchDebounceMs: 100,
      });
      services.push(service);
      return { store, service };
    }

    it('a change the watching replica sees is served by a replica that never reads the clusters', async () => {
      knex = (await databases.init(id)) as unknown as Knex;
      await migrateSnapshotTables(knex);
      const watching = await replica('watch');
      const serving = await replica('poll');

      const first = await watching.service.refresh();
      const remoteSecrets = (snapshot: typeof first.snapshot) =>
        snapshot.clusters
          .find(c => c.name === 'cluster1')
          ?.data?.remoteSecrets.map(s => s.cluster)
          .sort();
      expect(remoteSecrets(first.snapshot)).toEqual(['cluster2', 'cluster3']);
      await eventually(
        () => sim.openWatches('cluster1') > 0,
        'the watches of cluster1',
      );
      sim.resetRequestCounts();

      sim.change('cluster1', {
        op: 'delete',
        args: ['secret', 'istio-system/istio-remote-secret-cluster2'],
      });
      const served = await eventually(async () => {
        await serving.store.get({ latest: true });
        const state = await serving.service.current();
        return remoteSecrets(state.snapshot)?.join() === 'cluster3'
          ? state
          : undefined;
      }, 'the serving replica to serve the change');
      expect(
        served.snapshot.clusters.find(c => c.name === 'cluster1')?.status,
      ).toBe('ok');
      // Neither replica listed anything for it: the watching one read its watches, the serving one the store.
      const lists = Object.entries(sim.requestStats('cluster1').byResource)
        .filter(([key]) => key.startsWith('list '))
        .map(([key]) => key);
      expect(lists).toEqual([]);

      // Stopped (the backend shuts down): the watches end, and a refresh still running lists instead of
      // starting new ones that would keep the process alive.
      await watching.service.stop();
      await eventually(
        () => sim.openWatches('cluster1') === 0,
        'the watches to end',
      );
      sim.resetRequestCounts();
      const after = await watching.service.refresh();
      expect(
        after.snapshot.clusters.find(c => c.name === 'cluster1')?.status,
      ).toBe('ok');
      const calls = Object.keys(sim.requestStats('cluster1').byResource);
      expect(calls).toContain('list secrets');
      expect(calls.filter(k => k.startsWith('watch '))).toEqual([]);
      expect(sim.openWatches('cluster1')).toBe(0);
    });
  },
);
