/*
 * kube-sim's `faults` scenario: clusters healthy, down, slow (30 s latency), unauthorized, forbidden and
 * malformed. The other clusters' data stays complete, every response is 200, and the slow cluster is given up
 * after its timeout (its read fails with "Timed out" instead of answering after 30 s).
 */
import { appConfigFragment, RunningSimulator } from '@internal/kube-sim';
import {
  REDIS_PASSWORD,
  snapshotServiceFor,
  startBackend,
  startSim,
} from '../__testUtils__/kubeSim';

jest.setTimeout(60_000);

// Generous for a loaded machine (the answering clusters must be read within it), far below the slow one's 30 s.
const TIMEOUT_SECONDS = 5;

describe('faults scenario (kube-sim)', () => {
  let sim: RunningSimulator;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    sim = await startSim('faults');
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sim?.stop();
  });

  it('reads every answering cluster completely, and gives the slow one up after its timeout', async () => {
    // The first refresh runs during startup; the one checked is the explicit refresh below.
    const backend = await startBackend(sim, {
      clusterTimeoutSeconds: TIMEOUT_SECONDS,
    });

    const refreshed = await backend.refresh();
    expect(refreshed.status).toBe(200);

    const items = Object.fromEntries(
      refreshed.body.clusters.map((c: any) => [c.name, c]),
    );
    expect(items.healthy).toMatchObject({ status: 'ok' });
    expect(items.healthy.error).toBeUndefined();
    expect(items.down).toMatchObject({
      status: 'unreachable',
      error: { code: 'MESH090' },
    });
    expect(items.slow).toMatchObject({
      status: 'unreachable',
      error: { code: 'MESH090', message: expect.stringContaining('Timed out') },
    });
    expect(items.unauthorized).toMatchObject({
      status: 'unauthorized',
      error: { code: 'MESH091' },
    });
    expect(items.forbidden).toMatchObject({ status: 'ok' });
    expect(items['forbidden-secrets']).toMatchObject({ status: 'ok' });
    expect(items.malformed).toMatchObject({ status: 'ok' });

    for (const path of [
      '/clusters',
      '/overview',
      '/entity?entityRef=component:default/product-service',
    ]) {
      const res = await backend.get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(REDIS_PASSWORD);
    }
    const overview = await backend.get('/overview');
    const codes = overview.body.findings.map(
      (f: any) => `${f.code}:${f.clusters.join(',')}`,
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        'MESH090:down',
        'MESH090:slow',
        'MESH091:unauthorized',
      ]),
    );
    const forbidden = overview.body.findings.find(
      (f: any) => f.code === 'MESH092' && f.clusters.includes('forbidden'),
    );
    expect(forbidden).toBeDefined();
    expect(JSON.stringify(forbidden)).toMatch(/apiGroups/);

    // A later failure keeps the healthy cluster's data, marked stale.
    const healthyBefore = items.healthy;
    await sim.setFaults('healthy', { down: true });
    const after = (await backend.refresh()).body.clusters.find(
      (c: any) => c.name === 'healthy',
    );
    expect(after).toMatchObject({
      status: 'stale',
      error: { code: 'MESH090' },
      lastSyncedAt: healthyBefore.lastSyncedAt,
    });
    await sim.setFaults('healthy', {});
    expect(unhandled).toEqual([]);
  });

  it('keeps complete data for the answering clusters: partial 403s named, malformed objects skipped', async () => {
    const service = snapshotServiceFor({
      ...appConfigFragment(sim),
      serviceMesh: { clusterTimeoutSeconds: TIMEOUT_SECONDS },
    });
    const { snapshot } = await service.refresh();
    const cluster = (name: string) =>
      snapshot.clusters.find(c => c.name === name)!;

    // Every answering cluster holds the same small mesh, read completely.
    for (const name of [
      'healthy',
      'forbidden',
      'forbidden-secrets',
      'malformed',
    ]) {
      const data = cluster(name).data!;
      expect(cluster(name).status).toBe('ok');
      expect(data.controlPlanes).toEqual([
        expect.objectContaining({ revision: '1-22' }),
      ]);
      expect(data.eastWestGateways).toHaveLength(1);
      expect(data.rootCA?.fingerprint).toMatch(/^[0-9A-F:]{95}$/);
      expect(data.services.map(s => `${s.namespace}/${s.name}`)).toContain(
        'mesh-app/echo',
      );
      expect(data.workloads.map(w => w.name)).toContain('echo');
    }
    expect(cluster('healthy').data!.partialErrors).toEqual([]);
    expect(cluster('healthy').data!.remoteSecrets).toHaveLength(6);
    expect(cluster('healthy').data!.destinationRules).toHaveLength(1);

    // 403 on one resource: that resource only, with the RBAC rule to add.
    expect(cluster('forbidden').data!.destinationRules).toEqual([]);
    expect(cluster('forbidden').data!.partialErrors).toEqual([
      expect.objectContaining({
        code: 'MESH092',
        resource: 'destinationrules.networking.istio.io',
        rbacRule: expect.stringContaining(
          'apiGroups: ["networking.istio.io"], resources: ["destinationrules"]',
        ),
      }),
    ]);
    expect(cluster('forbidden-secrets').data!.remoteSecrets).toEqual([]);
    expect(cluster('forbidden-secrets').data!.partialErrors).toEqual([
      expect.objectContaining({
        code: 'MESH092',
        resource: 'secrets',
        rbacRule: expect.stringContaining('Role in namespace istio-system'),
      }),
    ]);

    // Malformed objects are skipped and recorded; the well-formed ones are kept.
    expect(cluster('malformed').data!.malformedObjects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'Service',
          namespace: 'mesh-app',
          name: 'broken-ports',
        }),
        expect.objectContaining({
          kind: 'EndpointSlice',
          namespace: 'mesh-app',
          name: 'broken-ports-x1',
        }),
      ]),
    );
    expect(cluster('healthy').data!.malformedObjects).toEqual([]);
    expect(JSON.stringify(snapshot)).not.toContain(REDIS_PASSWORD);
  });
});
