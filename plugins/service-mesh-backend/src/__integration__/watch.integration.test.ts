/*
 * Watch mode (`serviceMesh.mode: watch`) against kube-sim over HTTP: a live change reaches /overview without a
 * refresh (the scheduled one is an hour away), and the backend recovers by itself from a compacted
 * resourceVersion (410), from cut watch connections and from a kube-sim that was killed and started again on the
 * same ports (which forgets the changes and hands out higher resourceVersions). Every wait is on the condition.
 */
import { RunningSimulator, startSimulator } from '@internal/kube-sim';
import {
  KubeSimBackend,
  scenarioDir,
  startBackend,
  startSim,
} from '../__testUtils__/kubeSim';
import { eventually } from '../__testUtils__/eventually';

jest.setTimeout(120_000);

const WAIT = { timeoutMs: 60_000 };

/** Asks /overview until `condition` holds for its body; fails with the last body after a generous deadline. */
async function overviewUntil(
  backend: KubeSimBackend,
  condition: (body: any) => boolean,
): Promise<any> {
  const deadline = Date.now() + 60_000;
  let body: any;
  for (;;) {
    const res = await backend.get('/overview');
    body = res.body;
    if (res.status === 200 && condition(body)) return body;
    if (Date.now() > deadline)
      throw new Error(
        `condition not met; last /overview: ${JSON.stringify(body).slice(
          0,
          2000,
        )}`,
      );
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

const cluster = (body: any, name: string) =>
  body.clusters.find((c: any) => c.name === name);

const remoteSecretsOf = (body: any, name: string): string[] =>
  cluster(body, name)?.remoteSecrets ?? [];

describe('watch mode (kube-sim demo)', () => {
  let sim: RunningSimulator;
  let backend: KubeSimBackend;

  beforeAll(async () => {
    sim = await startSim('demo');
    backend = await startBackend(sim, { mode: 'watch' });
  });

  afterAll(async () => {
    await backend?.server.close();
    await sim?.stop();
  });

  it('shows a live change on /overview without a refresh, reading it from the watches', async () => {
    const before = await overviewUntil(backend, body =>
      remoteSecretsOf(body, 'cluster1').includes('cluster2'),
    );
    expect(cluster(before, 'cluster3').eastWestGateway.addresses).not.toContain(
      '203.0.113.10',
    );
    // Every member watches what it lists (one watch per resource), started by the first refresh.
    await eventually(
      () => sim.openWatches('cluster1') > 0,
      'open watches on cluster1',
      WAIT,
    );
    sim.resetRequestCounts();

    sim.change('cluster1', {
      op: 'delete',
      args: ['secret', 'istio-system/istio-remote-secret-cluster2'],
    });
    sim.change('cluster3', {
      op: 'gateway-address',
      args: ['203.0.113.10'],
    });
    const after = await overviewUntil(
      backend,
      body =>
        !remoteSecretsOf(body, 'cluster1').includes('cluster2') &&
        cluster(body, 'cluster3').eastWestGateway.addresses.includes(
          '203.0.113.10',
        ),
    );
    expect(cluster(after, 'cluster1').status).toBe('ok');
    // Only the changed clusters were rebuilt; cluster2 keeps the snapshot of its last read.
    expect(cluster(after, 'cluster2').lastSyncedAt).toBe(
      cluster(before, 'cluster2').lastSyncedAt,
    );
    expect(
      cluster(after, 'cluster1').lastSyncedAt >
        cluster(before, 'cluster1').lastSyncedAt,
    ).toBe(true);
    // No list was needed for it: the changes came through the open watches.
    const lists = Object.entries(sim.requestStats('cluster1').byResource)
      .filter(([key]) => key.startsWith('list '))
      .map(([key, n]) => `${key}: ${n}`);
    expect(lists).toEqual([]);
  });

  it('lists again after 410 Gone (a compacted resourceVersion) and goes on watching', async () => {
    sim.resetRequestCounts();
    sim.compact('cluster2');
    // The cut watches resume from their last resourceVersion, which is now compacted: 410, then a relist (a cut
    // watch alone resumes with a watch, never a list).
    expect(sim.dropWatches('cluster2')).toBeGreaterThan(0);
    await eventually(
      () =>
        sim
          .requestLog('cluster2')
          .some(e => e.verb === 'list' && e.resource === 'secrets'),
      'a relist of secrets in cluster2',
      WAIT,
    );

    sim.change('cluster2', {
      op: 'delete',
      args: ['secret', 'istio-system/istio-remote-secret-cluster1'],
    });
    const after = await overviewUntil(
      backend,
      body => !remoteSecretsOf(body, 'cluster2').includes('cluster1'),
    );
    expect(cluster(after, 'cluster2')).toMatchObject({ status: 'ok' });
    expect(sim.openWatches('cluster2')).toBeGreaterThan(0);
  });

  it('resumes cut watches (a fault that drops every watch after one event) from the last resourceVersion', async () => {
    await sim.setFaults('cluster3', { watch: { dropAfterEvents: 1 } });
    sim.resetRequestCounts();
    try {
      sim.change('cluster3', {
        op: 'delete',
        args: ['secret', 'istio-system/istio-remote-secret-cluster1'],
      });
      await overviewUntil(
        backend,
        body => !remoteSecretsOf(body, 'cluster3').includes('cluster1'),
      );
      sim.change('cluster3', { op: 'gateway-address', args: ['none'] });
      const after = await overviewUntil(
        backend,
        body =>
          cluster(body, 'cluster3').eastWestGateway.addresses.length === 0,
      );
      expect(cluster(after, 'cluster3')).toMatchObject({ status: 'ok' });
      // Each watch was cut after the event it delivered and resumed from its resourceVersion: watched again,
      // never listed again.
      const calls = sim.requestStats('cluster3').byResource;
      expect(calls['watch secrets']).toBeGreaterThanOrEqual(1);
      expect(calls['watch services']).toBeGreaterThanOrEqual(1);
      expect(calls['list secrets']).toBeUndefined();
      expect(calls['list services']).toBeUndefined();
    } finally {
      await sim.setFaults('cluster3', {});
    }
  });

  it('lists a resource whose watch is forbidden (403 on the verb watch) every interval instead', async () => {
    await sim.setFaults('cluster3', { watch: { forbidden: ['secrets'] } });
    const polling = await startBackend(sim, {
      mode: 'watch',
      refreshIntervalSeconds: 1,
    });
    try {
      await eventually(
        () =>
          sim
            .requestLog('cluster3')
            .some(
              e =>
                e.verb === 'watch' &&
                e.resource === 'secrets' &&
                e.status === 403,
            ),
        'a forbidden watch of secrets in cluster3',
        WAIT,
      );
      sim.change('cluster3', {
        op: 'delete',
        args: ['secret', 'istio-system/istio-remote-secret-cluster2'],
      });
      const after = await overviewUntil(
        polling,
        body => !remoteSecretsOf(body, 'cluster3').includes('cluster2'),
      );
      expect(cluster(after, 'cluster3')).toMatchObject({ status: 'ok' });
      // The other resources are still watched; secrets are listed again and again.
      const log = sim.requestLog('cluster3');
      expect(
        log.filter(e => e.verb === 'list' && e.resource === 'secrets').length,
      ).toBeGreaterThan(1);
      expect(
        log.some(e => e.verb === 'watch' && e.resource === 'services'),
      ).toBe(true);
    } finally {
      await polling.server.close();
      await sim.setFaults('cluster3', {});
    }
  });

  it('recovers from kube-sim killed and started again on the same ports', async () => {
    const ports = Object.fromEntries(
      sim.clusters.map(c => [c.name, Number(new URL(c.url).port)]),
    );
    await sim.stop();
    // Killed: the informers' failed attempts are published, the clusters stale with their last data.
    await overviewUntil(backend, body =>
      ['cluster1', 'cluster2'].every(n => cluster(body, n).status === 'stale'),
    );
    sim = await startSimulator({ scenarioDir: scenarioDir('demo'), ports });
    // The new process holds the scenario again (the changes are gone) and higher resourceVersions: the watches
    // resume, get 410, list again and show the scenario's remote secrets.
    await overviewUntil(
      backend,
      b =>
        remoteSecretsOf(b, 'cluster1').includes('cluster2') &&
        remoteSecretsOf(b, 'cluster2').includes('cluster1') &&
        remoteSecretsOf(b, 'cluster3').includes('cluster1'),
    );
    // …and watch the new process.
    sim.change('cluster1', {
      op: 'delete',
      args: ['secret', 'istio-system/istio-remote-secret-cluster3'],
    });
    const after = await overviewUntil(
      backend,
      b =>
        !remoteSecretsOf(b, 'cluster1').includes('cluster3') &&
        cluster(b, 'cluster1').status === 'ok',
    );
    expect(after.clusters.map((c: any) => [c.name, c.status]).sort()).toEqual([
      ['cluster1', 'ok'],
      ['cluster2', 'ok'],
      ['cluster3', 'ok'],
      ['global', 'ok'],
    ]);
  });
});
