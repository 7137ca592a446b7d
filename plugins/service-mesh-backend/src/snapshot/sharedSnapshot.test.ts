/*
 * Several replicas on one database: one reads the clusters, every one serves the snapshot it stored, and a run
 * whose replica died is released by another.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  demoManagement,
  demoMember,
  FakeClientFactory,
} from '../__testUtils__/fakeCluster';
import { eventually } from '../__testUtils__/eventually';
import { Knex, migrateSnapshotTables } from './database/migrations';
import { DatabaseSnapshotStore } from './DatabaseSnapshotStore';
import { DefaultMeshSnapshotService } from './MeshSnapshotService';
import {
  REFRESH_TASK_ID,
  RefreshCoordinator,
  RefreshTrigger,
} from './RefreshCoordinator';
import { DatabaseRefreshLease } from './RefreshLease';
import { storeTestDatabases } from './__testUtils__/storeDatabases';

jest.setTimeout(30_000);

const databases = storeTestDatabases();

function demoFactory(): FakeClientFactory {
  return new FakeClientFactory()
    .add(demoManagement('global', ['cluster1', 'cluster2', 'cluster3']))
    .add(
      demoMember('cluster1', 'region1', 'network1', ['cluster2', 'cluster3']),
    )
    .add(
      demoMember('cluster2', 'region2', 'network2', ['cluster1', 'cluster3']),
    )
    .add(
      demoMember('cluster3', 'region3', 'network3', ['cluster1', 'cluster2']),
    );
}

const requestCount = (factory: FakeClientFactory) =>
  [...factory.clusters.values()].reduce((n, c) => n + c.requests.length, 0);

describe.each(databases.eachSupportedId())(
  'replicas sharing one database (%s)',
  id => {
    let knex: Knex;

    beforeEach(async () => {
      knex = (await databases.init(id)) as unknown as Knex;
      await migrateSnapshotTables(knex);
    });

    async function replica(options: { coordinator?: RefreshTrigger } = {}) {
      const factory = demoFactory();
      const logger = mockServices.logger.mock();
      const store = await DatabaseSnapshotStore.create({
        knex,
        logger,
        pollIntervalMs: 0,
      });
      const service = DefaultMeshSnapshotService.create({
        logger,
        config: {
          managementCluster: 'global',
          clusterTimeoutSeconds: 5,
        },
        clusters: factory,
        store,
        analyze: () => [],
        ...options,
      });
      return { factory, store, service, logger };
    }

    it('serves, on a replica that never polls, the snapshot and indexes the polling replica wrote', async () => {
      const polling = await replica();
      const serving = await replica();

      const refreshed = await polling.service.refresh();
      const served = await serving.service.current();
      expect(served.snapshot).toEqual(refreshed.snapshot);
      expect(served.findings).toEqual(refreshed.findings);
      expect([
        ...served.index
          .withLabel('backstage.io/kubernetes-id', 'product-service')
          .keys(),
      ]).toEqual(['cluster1', 'cluster2', 'cluster3']);
      expect(requestCount(serving.factory)).toBe(0);

      // The next refresh: the serving replica swaps in the new generation and rebuilds its index.
      polling.factory.clusters.get('cluster1')!.faults = { down: true };
      await polling.service.refresh();
      await serving.store.get({ latest: true });
      const next = await serving.service.current();
      expect(next.index).not.toBe(served.index);
      expect(
        next.snapshot.clusters.find(c => c.name === 'cluster1'),
      ).toMatchObject({ status: 'stale', error: { code: 'MESH090' } });
      expect(requestCount(serving.factory)).toBe(0);
    });

    it('answers refresh() on any replica with the snapshot of the run the scheduler started', async () => {
      const polling = await replica();
      // The scheduler, as seen from the serving replica: the task runs elsewhere (on the polling replica).
      const trigger: RefreshTrigger = {
        waitTimeoutMs: 20_000, // generous for a loaded machine
        trigger: async () => {
          setTimeout(() => polling.service.runRefresh(), 100);
          return true;
        },
      };
      const serving = await replica({ coordinator: trigger });
      await polling.service.refresh();
      const before = await serving.service.current();

      const [a, b] = await Promise.all([
        serving.service.refresh(),
        serving.service.refresh(),
      ]);
      expect(a).toBe(b);
      expect(a.snapshot.generatedAt).not.toBe(before.snapshot.generatedAt);
      expect(a.snapshot).toEqual((await polling.service.current()).snapshot);
      expect(requestCount(serving.factory)).toBe(0);
    });

    it('does not publish a run that lost its lease', async () => {
      const polling = await replica();
      const lease = new DatabaseRefreshLease(knex);
      await polling.service.refresh();
      const published = polling.store.manifest!.generation;

      await lease.begin('run-1', 'replica-a');
      // Declared dead meanwhile, and replaced by another replica's run.
      await lease.begin('run-2', 'replica-b');
      await polling.service.runRefresh({
        runId: 'run-1',
        signal: new AbortController().signal,
      });
      expect(polling.store.manifest!.generation).toBe(published);
      expect(polling.logger.info).toHaveBeenCalledWith(
        expect.stringContaining('Mesh refresh not published'),
      );
    });

    describe('RefreshCoordinator', () => {
      function coordinator(owner: string, takeoverAfterSeconds = 0.4) {
        const scheduler = mockServices.scheduler.mock();
        const lease = new DatabaseRefreshLease(knex);
        const c = new RefreshCoordinator({
          scheduler,
          lease,
          logger: mockServices.logger.mock(),
          owner,
          intervalSeconds: 5,
          timeoutSeconds: 60,
          takeoverAfterSeconds,
        });
        return { c, scheduler, lease };
      }

      it('schedules one global task with the timeout', async () => {
        const { c, scheduler } = coordinator('a');
        await c.schedule(async () => {});
        expect(scheduler.scheduleTask).toHaveBeenCalledWith(
          expect.objectContaining({
            id: REFRESH_TASK_ID,
            scope: 'global',
            frequency: { seconds: 5 },
            timeout: { seconds: 60 },
          }),
        );
        await c.shutdown();
      });

      it('releases the lock of a run whose heartbeat stopped, once, and triggers the next run', async () => {
        const b = coordinator('replica-b');
        const c = coordinator('replica-c');
        await b.c.schedule(async () => {});
        await c.c.schedule(async () => {});
        // replica-a started a run and died: its heartbeat never moves.
        await b.lease.begin('dead-run', 'replica-a');
        const state = await eventually(async () => {
          const read = await b.lease.read();
          return read?.finished ? read : undefined;
        }, 'the dead run to be released');
        expect(state).toMatchObject({ runId: 'dead-run', finished: true });
        const reaper = state.reapedBy === 'replica-b' ? b : c;
        // The reaper cancels the stuck task, then triggers the next run.
        await eventually(
          () => reaper.scheduler.triggerTask.mock.calls.length > 0,
          'the next run to be triggered',
        );
        const cancels =
          b.scheduler.cancelTask.mock.calls.length +
          c.scheduler.cancelTask.mock.calls.length;
        expect(cancels).toBe(1);
        expect(reaper.scheduler.cancelTask).toHaveBeenCalledWith(
          REFRESH_TASK_ID,
        );
        expect(reaper.scheduler.triggerTask).toHaveBeenCalledWith(
          REFRESH_TASK_ID,
        );
        await b.c.shutdown();
        await c.c.shutdown();
      });

      it('leaves a live run alone while its heartbeat moves', async () => {
        // The threshold leaves a beat on a loaded machine a second to land.
        const a = coordinator('replica-a', 1);
        const b = coordinator('replica-b', 1);
        let runId: string | undefined;
        // A run that lasts eight heartbeats (two takeover thresholds), while the other replica watches.
        await a.c.schedule(async run => {
          runId = run.runId;
          await eventually(
            async () => ((await a.lease.read())?.beat ?? 0) >= 8,
            'eight heartbeats',
          );
          expect(run.signal.aborted).toBe(false);
        });
        await b.c.schedule(async () => {});
        await a.scheduler.scheduleTask.mock.calls[0][0].fn(
          new AbortController().signal,
        );
        expect(runId).toBeDefined();
        const state = await b.lease.read();
        expect(state).toMatchObject({
          runId,
          finished: true,
          owner: 'replica-a',
        });
        expect(state?.beat).toBeGreaterThanOrEqual(8);
        expect(state?.reapedBy).toBeUndefined();
        expect(b.scheduler.cancelTask).not.toHaveBeenCalled();
        await a.c.shutdown();
        await b.c.shutdown();
      });

      it('hands its run over at once when the backend shuts down', async () => {
        const a = coordinator('replica-a');
        let signal: AbortSignal | undefined;
        const order: string[] = [];
        await a.c.schedule(async run => {
          signal = run.signal;
          // A refresh ends when its signal aborts (every cluster request is cancelled).
          await new Promise<void>(r =>
            run.signal.addEventListener('abort', () => r()),
          );
          order.push('run ended');
        });
        a.scheduler.cancelTask.mockImplementation(async () => {
          order.push('lock released');
        });
        a.scheduler.triggerTask.mockImplementation(async () => {
          order.push('task triggered');
        });
        const running = a.scheduler.scheduleTask.mock.calls[0][0].fn(
          new AbortController().signal,
        );
        await eventually(() => signal, 'the run to start');
        await a.c.shutdown();
        await running;
        expect(signal?.aborted).toBe(true);
        expect(a.c.shutdownSignal.aborted).toBe(true);
        expect(await a.lease.read()).toMatchObject({ finished: true });
        expect(await a.lease.read()).not.toHaveProperty('reapedBy');
        // Released and triggered (after the run ended): the next replica starts now, not after the lease time.
        expect(order).toHaveLength(3);
        expect(order.slice(0, 2).sort()).toEqual([
          'lock released',
          'run ended',
        ]);
        expect(order[2]).toBe('task triggered');
        expect(a.scheduler.triggerTask).toHaveBeenCalledWith(REFRESH_TASK_ID);
      });

      it('aborts a run that was declared dead while it was paused', async () => {
        const a = coordinator('replica-a');
        let signal: AbortSignal | undefined;
        await a.c.schedule(async run => {
          signal = run.signal;
          // Another replica reaps the run while this one is stuck.
          const state = await a.lease.read();
          await a.lease.reap(run.runId, state!.beat, 'replica-b');
          // its next heartbeat finds the lease lost and aborts it
          await eventually(() => run.signal.aborted, 'the run to be aborted');
        });
        await a.scheduler.scheduleTask.mock.calls[0][0].fn(
          new AbortController().signal,
        );
        expect(signal?.aborted).toBe(true);
        await a.c.shutdown();
      });
    });
  },
);
