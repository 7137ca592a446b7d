/*
 * Failure handling against kube-sim over HTTP: a cluster down, one slower than its timeout, one answering 401,
 * one forbidding a resource. The other clusters' data stays complete, every response is 200, and a cluster that
 * fails after a good read keeps that data, marked stale.
 */
import { RunningSimulator } from '@internal/kube-sim';
import {
  REDIS_PASSWORD,
  startBackend,
  startSim,
} from '../__testUtils__/kubeSim';

jest.setTimeout(60_000);

// Generous for a loaded machine: the answering clusters must be read within it.
const TIMEOUT_SECONDS = 5;
// Longer than the timeout, so the read is abandoned; short enough that its answer would still come in the test.
const SLOW_LATENCY_MS = TIMEOUT_SECONDS * 1000 + 3000;

describe('cluster failures (kube-sim demo with faults)', () => {
  let sim: RunningSimulator;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    sim = await startSim('demo');
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sim?.stop();
  });

  afterEach(async () => {
    for (const c of sim.clusters) await sim.setFaults(c.name, {});
  });

  it('keeps the last good data, marked stale, when clusters fail after a good read', async () => {
    // Poll: each refresh lists again and meets the faults. In watch mode (the default) a watch opened before
    // the credentials were revoked keeps delivering, so cluster3 (401 on new requests) stays ok until it
    // reconnects (watch.integration.test.ts covers the watch's own recovery).
    const backend = await startBackend(sim, {
      clusterTimeoutSeconds: TIMEOUT_SECONDS,
      mode: 'poll',
    });
    const before = Object.fromEntries(
      (await backend.get('/clusters')).body.items.map((c: any) => [c.name, c]),
    );
    expect(Object.values(before).every((c: any) => c.status === 'ok')).toBe(
      true,
    );

    await sim.setFaults('cluster1', { down: true });
    await sim.setFaults('cluster2', { latencyMs: SLOW_LATENCY_MS });
    await sim.setFaults('cluster3', { unauthorized: true });

    // The slow cluster's answers are due this late (if its reader were still waiting for them).
    const slowAnswersDue = Date.now() + SLOW_LATENCY_MS;
    const refreshed = await backend.refresh();
    expect(refreshed.status).toBe(200);

    const items = Object.fromEntries(
      refreshed.body.clusters.map((c: any) => [c.name, c]),
    );
    expect(items.global).toMatchObject({ status: 'ok' });
    expect(items.cluster1).toMatchObject({
      status: 'stale',
      error: { code: 'MESH090' },
      lastSyncedAt: before.cluster1.lastSyncedAt,
    });
    expect(items.cluster2).toMatchObject({
      status: 'stale',
      error: { code: 'MESH090', message: expect.stringContaining('Timed out') },
      lastSyncedAt: before.cluster2.lastSyncedAt,
    });
    expect(items.cluster3).toMatchObject({
      status: 'stale',
      error: { code: 'MESH091' },
      lastSyncedAt: before.cluster3.lastSyncedAt,
    });

    // The stale data is still served, with the collection findings.
    const overview = await backend.get('/overview');
    expect(overview.status).toBe(200);
    for (const name of ['cluster1', 'cluster2', 'cluster3']) {
      const c = overview.body.clusters.find((x: any) => x.name === name);
      expect(c.controlPlanes).toEqual([
        expect.objectContaining({ revision: '1-22' }),
      ]);
      expect(c.localities.length).toBeGreaterThan(0);
    }
    const codes = overview.body.findings.map(
      (f: any) => `${f.code}:${f.clusters.join(',')}`,
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        'MESH090:cluster1',
        'MESH090:cluster2',
        'MESH091:cluster3',
      ]),
    );
    const entity = await backend.get(
      '/entity?entityRef=component:default/product-service',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.endpointDistribution.map((r: any) => r.cluster)).toEqual(
      ['cluster1', 'cluster2', 'cluster3', 'cluster3'],
    );

    // Recovery: fresh data, and the abandoned slow read never overwrites it.
    for (const c of sim.clusters) await sim.setFaults(c.name, {});
    const recovered = await backend.refresh();
    expect(
      recovered.body.clusters.every((c: any) => c.status === 'ok' && !c.error),
    ).toBe(true);
    const recoveredAt = recovered.body.clusters.find(
      (c: any) => c.name === 'cluster2',
    ).lastSyncedAt;
    // Not a synchronisation: nothing can happen before the abandoned read's answers are due, so look after that.
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, slowAnswersDue + 1000 - Date.now())),
    );
    const later = (await backend.get('/clusters')).body.items.find(
      (c: any) => c.name === 'cluster2',
    );
    expect(later).toMatchObject({ status: 'ok', lastSyncedAt: recoveredAt });
    expect(unhandled).toEqual([]);
  });

  it('classifies clusters that fail from the start, and collects the rest of a cluster that forbids one resource', async () => {
    await sim.setFaults('cluster1', { down: true });
    await sim.setFaults('cluster2', { unauthorized: true });
    await sim.setFaults('cluster3', {
      forbidden: ['destinationrules.networking.istio.io'],
    });
    // The first refresh runs during startup (no cluster is slow here).
    const backend = await startBackend(sim, {
      clusterTimeoutSeconds: TIMEOUT_SECONDS,
    });

    const clusters = await backend.get('/clusters');
    expect(clusters.status).toBe(200);
    const items = Object.fromEntries(
      clusters.body.items.map((c: any) => [c.name, c]),
    );
    expect(items.cluster1).toMatchObject({
      status: 'unreachable',
      error: { code: 'MESH090' },
    });
    expect(items.cluster1.lastSyncedAt).toBeUndefined();
    expect(items.cluster2).toMatchObject({
      status: 'unauthorized',
      error: { code: 'MESH091' },
    });
    expect(items.cluster3).toMatchObject({ status: 'ok' });

    const overview = await backend.get('/overview');
    expect(overview.status).toBe(200);
    const c3 = overview.body.clusters.find((c: any) => c.name === 'cluster3');
    expect(c3).toMatchObject({
      controlPlanes: [expect.objectContaining({ revision: '1-22' })],
      remoteSecrets: ['cluster1', 'cluster2'],
    });
    const forbidden = overview.body.findings.find(
      (f: any) => f.code === 'MESH092',
    );
    expect(forbidden).toMatchObject({ clusters: ['cluster3'] });
    expect(JSON.stringify(forbidden)).toContain('destinationrules');

    const entity = await backend.get(
      '/entity?entityRef=component:default/product-service',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.clusters.map((c: any) => [c.cluster, c.status])).toEqual(
      [
        ['cluster1', 'unreachable'],
        ['cluster2', 'unauthorized'],
        ['cluster3', 'ok'],
      ],
    );
    expect(entity.body.endpointDistribution.map((r: any) => r.cluster)).toEqual(
      ['cluster3', 'cluster3'],
    );
    expect(entity.text).not.toContain(REDIS_PASSWORD);
    expect(unhandled).toEqual([]);
  });
});
