import { mockServices } from '@backstage/backend-test-utils';
import { MESH_CHECKS } from '@internal/plugin-service-mesh-common';
import {
  demoManagement,
  demoMember,
  FakeClientFactory,
} from '../__testUtils__/fakeCluster';
import { DefaultMeshSnapshotService } from './MeshSnapshotService';
import { InMemorySnapshotStore } from './SnapshotStore';

// Generous for a loaded machine: the fake clusters answer at once unless a test makes one slow.
function setup(timeoutSeconds = 10) {
  const factory = new FakeClientFactory()
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
  const analyze = jest.fn(() => []);
  const service = DefaultMeshSnapshotService.create({
    logger: mockServices.logger.mock(),
    config: {
      managementCluster: 'global',
      clusterTimeoutSeconds: timeoutSeconds,
    },
    clusters: factory,
    store: new InMemorySnapshotStore(),
    analyze,
  });
  const cluster = (name: string) => factory.clusters.get(name)!;
  return { service, cluster, analyze };
}

describe('DefaultMeshSnapshotService', () => {
  it('lists every configured cluster, unread, before the first refresh', async () => {
    const { service, cluster } = setup();
    const { snapshot, findings } = await service.current();
    expect(
      snapshot.clusters.map(c => [c.name, c.role, c.status, c.data]),
    ).toEqual([
      ['global', 'management', 'pending', undefined],
      ['cluster1', 'member', 'pending', undefined],
      ['cluster2', 'member', 'pending', undefined],
      ['cluster3', 'member', 'pending', undefined],
    ]);
    expect((await service.current()).pending).toBe(true);
    expect(findings).toEqual([]);
    expect(cluster('cluster1').requests).toEqual([]);
  });

  it('reads every cluster, runs the analysis once and indexes the result', async () => {
    const { service, analyze } = setup();
    const state = await service.refresh();
    const byName = new Map(state.snapshot.clusters.map(c => [c.name, c]));
    expect(byName.get('global')).toMatchObject({
      role: 'management',
      status: 'ok',
    });
    expect(byName.get('cluster2')).toMatchObject({
      role: 'member',
      status: 'ok',
      region: 'region2',
      network: 'network2',
    });
    expect(byName.get('cluster2')?.lastSyncedAt).toBeDefined();
    expect(analyze).toHaveBeenCalledTimes(1);
    expect(state.snapshot.managementCluster).toBe('global');
    const matches = state.index.withLabel(
      'backstage.io/kubernetes-id',
      'product-service',
    );
    expect([...matches.keys()]).toEqual(['cluster1', 'cluster2', 'cluster3']);
    expect((await service.current()).index).toBe(state.index);
  });

  it('shares one in-flight refresh between concurrent callers', async () => {
    const { service, cluster } = setup();
    cluster('cluster1').faults = { latencyMs: 50 };
    const [a, b] = await Promise.all([service.refresh(), service.refresh()]);
    expect(a).toBe(b);
    expect(
      cluster('cluster1').requests.filter(r => r.path === '/api/v1/pods'),
    ).toHaveLength(1);
  });

  // Without the timeout the refresh would wait for the 30 s answer, past this test's own 20 s limit.
  it('does not let a slow cluster delay the others past its timeout, and leaves no work behind', async () => {
    const { service, cluster } = setup(2);
    cluster('cluster3').faults = { latencyMs: 30_000 };
    const { snapshot } = await service.refresh();
    const c3 = snapshot.clusters.find(c => c.name === 'cluster3')!;
    expect(c3).toMatchObject({
      status: 'unreachable',
      error: {
        code: 'MESH090',
        message: expect.stringContaining('Timed out after 2s'),
      },
    });
    expect(snapshot.clusters.filter(c => c.status === 'ok')).toHaveLength(3);
    // The abort cancelled every request of the slow cluster.
    await new Promise(resolve => setImmediate(resolve));
    expect(cluster('cluster3').pending).toBe(0);
  }, 20_000);

  it('keeps the last good data, marked stale, when a cluster later fails', async () => {
    const { service, cluster } = setup();
    const first = await service.refresh();
    const good = first.snapshot.clusters.find(c => c.name === 'cluster1')!;

    cluster('cluster1').faults = { down: true };
    cluster('cluster2').faults = { unauthorized: true };
    const { snapshot } = await service.refresh();
    const c1 = snapshot.clusters.find(c => c.name === 'cluster1')!;
    expect(c1).toMatchObject({
      status: 'stale',
      error: { code: 'MESH090' },
      lastSyncedAt: good.lastSyncedAt,
    });
    expect(c1.data).toEqual(good.data);
    expect(snapshot.clusters.find(c => c.name === 'cluster2')).toMatchObject({
      status: 'stale',
      error: { code: 'MESH091' },
    });

    // Recovery clears the error.
    cluster('cluster1').faults = {};
    const recovered = (await service.refresh()).snapshot.clusters.find(
      c => c.name === 'cluster1',
    )!;
    expect(recovered.status).toBe('ok');
    expect(recovered.error).toBeUndefined();
  });

  it('classifies clusters that never answered, and records partial 403s', async () => {
    const { service, cluster } = setup();
    cluster('cluster1').faults = { down: true };
    cluster('cluster2').faults = { unauthorized: true };
    cluster('cluster3').faults = { forbidden: ['peerauthentications'] };
    const { snapshot } = await service.refresh();
    const byName = new Map(snapshot.clusters.map(c => [c.name, c]));
    expect(byName.get('cluster1')).toMatchObject({
      status: 'unreachable',
      error: { code: 'MESH090' },
    });
    expect(byName.get('cluster1')?.data).toBeUndefined();
    expect(byName.get('cluster2')).toMatchObject({
      status: 'unauthorized',
      error: { code: 'MESH091' },
    });
    expect(byName.get('cluster3')).toMatchObject({ status: 'ok' });
    expect(byName.get('cluster3')?.data?.partialErrors).toEqual([
      expect.objectContaining({
        code: 'MESH092',
        resource: 'peerauthentications.security.istio.io',
      }),
    ]);
  });

  it('survives a failing analysis', async () => {
    const { service } = setup();
    const broken = DefaultMeshSnapshotService.create({
      logger: mockServices.logger.mock(),
      config: { clusterTimeoutSeconds: 1 },
      clusters: new FakeClientFactory(),
      analyze: () => {
        throw new Error('bug');
      },
    });
    await expect(broken.refresh()).resolves.toMatchObject({ findings: [] });
    await expect(service.refresh()).resolves.toBeDefined();
  });

  it('logs a crashed check and keeps its MESH099 finding (the default analysis)', async () => {
    const factory = new FakeClientFactory()
      .add(demoManagement('global', ['cluster1']))
      .add(demoMember('cluster1', 'region1', 'network1', []));
    const logger = mockServices.logger.mock();
    const service = DefaultMeshSnapshotService.create({
      logger,
      config: {
        managementCluster: 'global',
        clusterTimeoutSeconds: 1,
      },
      clusters: factory,
      store: new InMemorySnapshotStore(),
    });
    const rootCa = MESH_CHECKS.find(c => c.name === 'rootCa')!;
    const spy = jest.spyOn(rootCa, 'run').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const { findings } = await service.refresh();
      expect(findings.filter(f => f.code === 'MESH099')).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('The check rootCa failed'),
        }),
      ]);
      expect(logger.error).toHaveBeenCalledWith(
        'Service mesh analysis: check rootCa failed: boom',
        expect.objectContaining({ message: 'boom' }),
      );
    } finally {
      spy.mockRestore();
    }
  });
});
