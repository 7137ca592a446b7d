import { mockServices } from '@backstage/backend-test-utils';
import {
  demoManagement,
  demoMember,
  FakeClientFactory,
} from '../__testUtils__/fakeCluster';
import { eventually } from '../__testUtils__/eventually';
import { DefaultMeshSnapshotService } from './MeshSnapshotService';
import {
  DefaultRefreshProgressTracker,
  ProgressCache,
} from './RefreshProgress';
import { InMemorySnapshotStore } from './SnapshotStore';

/** A cache shared by "replicas" in one process, as Redis is across processes. */
function sharedCache(): ProgressCache {
  const values = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => values.get(key) as T | undefined,
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}

function setup(cache?: ProgressCache) {
  const factory = new FakeClientFactory()
    .add(demoManagement('global', ['cluster1', 'cluster2']))
    .add(demoMember('cluster1', 'region1', 'network1', ['cluster2']))
    .add(demoMember('cluster2', 'region2', 'network2', ['cluster1']));
  const progress = new DefaultRefreshProgressTracker({ cache });
  const service = DefaultMeshSnapshotService.create({
    logger: mockServices.logger.mock(),
    config: {
      managementCluster: 'global',
      clusterTimeoutSeconds: 30,
    },
    clusters: factory,
    store: new InMemorySnapshotStore(),
    analyze: () => [],
    progress,
  });
  return { service, factory, progress };
}

describe('refresh progress', () => {
  it('is idle with no clusters before any refresh', async () => {
    const { service } = setup();
    expect(await service.progress()).toEqual({ state: 'idle', clusters: [] });
  });

  it('shows each cluster as it completes, and a slow one still reading', async () => {
    const { service, factory } = setup();
    factory.clusters.get('cluster2')!.faults = { latencyMs: 60_000 };
    const controller = new AbortController();
    const run = service.runRefresh({ signal: controller.signal, runId: 'r1' });

    await eventually(async () => {
      const p = await service.progress();
      return p.clusters.filter(c => c.state === 'done').length === 2;
    }, 'two clusters done');
    const running = await service.progress();
    expect(running.state).toBe('running');
    expect(running.startedAt).toEqual(expect.any(String));
    expect(running.clusters.map(c => [c.name, c.state])).toEqual([
      ['global', 'done'],
      ['cluster1', 'done'],
      ['cluster2', 'reading'],
    ]);
    expect(running.clusters[0].durationMs).toEqual(expect.any(Number));

    controller.abort(new Error('stop'));
    await run;
    const ended = await service.progress();
    expect(ended.state).toBe('idle');
    expect(ended.finishedAt).toEqual(expect.any(String));
    // The aborted run published nothing.
    expect(ended.generatedAt).toBeUndefined();
    expect(ended.clusters.find(c => c.name === 'cluster2')?.state).toBe(
      'failed',
    );
  });

  it('reports a failed cluster with its reason and the snapshot it published', async () => {
    const { service, factory } = setup();
    factory.clusters.get('cluster2')!.faults = { unauthorized: true };
    const state = await service.refresh();
    const p = await service.progress();
    expect(p.state).toBe('idle');
    expect(p.generatedAt).toBe(state.snapshot.generatedAt);
    expect(p.clusters.find(c => c.name === 'cluster2')).toEqual({
      name: 'cluster2',
      state: 'failed',
      durationMs: expect.any(Number),
      error: expect.stringMatching(/^unauthorized: /),
    });
  });

  it("shows the reading replica's run on a replica that does not read, through the shared cache", async () => {
    const cache = sharedCache();
    const reader = setup(cache);
    const other = new DefaultRefreshProgressTracker({ cache });
    reader.factory.clusters.get('cluster2')!.faults = { latencyMs: 60_000 };
    const controller = new AbortController();
    const run = reader.service.runRefresh({
      signal: controller.signal,
      runId: 'r1',
    });
    await eventually(async () => {
      const p = await other.get();
      return (
        p.state === 'running' &&
        p.clusters.filter(c => c.state === 'done').length === 2
      );
    }, 'the other replica to see two clusters done');
    controller.abort(new Error('stop'));
    await run;
    await eventually(
      async () => (await other.get()).state === 'idle',
      'the other replica to see the run end',
    );
    expect(await other.get()).toEqual(await reader.progress.get());
  });
});
