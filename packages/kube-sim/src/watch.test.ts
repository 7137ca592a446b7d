// Watches as a client of a real API server meets them, over real HTTP with @kubernetes/client-node's Watch:
// bookmarks, 410 after compaction, dropped connections, a restarted simulator; and the live changes
// (POST /_sim/change, sim.change) that tests and the demo break and heal a mesh with.
import * as k8s from '@kubernetes/client-node';
import { startSimulator } from './simulator.ts';
import { initialResourceVersion } from './store.ts';
import type { RunningSimulator } from './types.ts';
import {
  cluster,
  coreApi,
  kubeConfig,
  raw,
  scenarioDir,
} from './__testUtils__/sim.ts';

jest.setTimeout(30_000);

let sim: RunningSimulator;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: scenarioDir('demo') });
  core = coreApi(sim, 'cluster1');
});

afterAll(async () => {
  await sim?.stop();
});

afterEach(async () => {
  await sim.setFaults('cluster1', {});
});

interface Seen {
  type: string;
  obj: any;
}

/** A client-node watch whose events and end are recorded; `until` waits for a condition on them. */
async function watch(
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
) {
  const events: Seen[] = [];
  let ended: { error: unknown } | undefined;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach(w => w());
  const controller = await new k8s.Watch(kubeConfig(sim, 'cluster1')).watch(
    path,
    query,
    (type, obj) => {
      events.push({ type, obj });
      notify();
    },
    error => {
      ended = { error };
      notify();
    },
  );
  const until = (condition: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}`)),
        20_000,
      );
      const check = () => {
        if (!condition()) return;
        waiters.delete(check);
        clearTimeout(deadline);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return {
    events,
    ended: () => ended,
    until,
    stop: () => controller.abort(),
  };
}

async function configMapsVersion(): Promise<string> {
  const list = await core.listNamespacedConfigMap({ namespace: 'kube-system' });
  return list.metadata!.resourceVersion!;
}

const createConfigMap = (name: string) =>
  core.createNamespacedConfigMap({
    namespace: 'kube-system',
    body: { metadata: { name }, data: { v: '1' } },
  });

describe('bookmarks', () => {
  it('sends BOOKMARKs with the current resourceVersion to watches that allow them, and a watch resumes from one', async () => {
    await sim.setFaults('cluster1', { watch: { bookmarkSeconds: 0.2 } });
    const w = await watch('/api/v1/namespaces/kube-system/configmaps', {
      resourceVersion: await configMapsVersion(),
      allowWatchBookmarks: true,
    });
    await createConfigMap('bookmarked');
    await w.until(() => {
      const added = w.events.findIndex(x => x.type === 'ADDED');
      return w.events.some(
        (e, i) => e.type === 'BOOKMARK' && added >= 0 && added < i,
      );
    }, 'a bookmark after the ADDED event');
    w.stop();
    const added = w.events.find(e => e.type === 'ADDED')!;
    const mark = w.events.filter(e => e.type === 'BOOKMARK').pop()!;
    expect(mark.obj).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    expect(Number(mark.obj.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(added.obj.metadata.resourceVersion),
    );

    // From the bookmark on: only what changed after it, not the ADDED event again.
    const resumed = await watch('/api/v1/namespaces/kube-system/configmaps', {
      resourceVersion: mark.obj.metadata.resourceVersion,
      allowWatchBookmarks: true,
    });
    await core.deleteNamespacedConfigMap({
      name: 'bookmarked',
      namespace: 'kube-system',
    });
    await resumed.until(
      () => resumed.events.some(e => e.type === 'DELETED'),
      'the DELETED event',
    );
    resumed.stop();
    expect(
      resumed.events.filter(e => e.type !== 'BOOKMARK').map(e => e.type),
    ).toEqual(['DELETED']);
  });

  it('sends none without allowWatchBookmarks, and one before a timeoutSeconds end with it', async () => {
    await sim.setFaults('cluster1', { watch: { bookmarkSeconds: 0.2 } });
    const rv = await configMapsVersion();
    const without = await raw(
      sim,
      'cluster1',
      `/api/v1/namespaces/kube-system/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=1`,
    );
    expect(without.text).not.toContain('BOOKMARK');
    await sim.setFaults('cluster1', { watch: { bookmarkSeconds: 60 } });
    const withBookmarks = await raw(
      sim,
      'cluster1',
      `/api/v1/namespaces/kube-system/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=1&allowWatchBookmarks=true`,
    );
    const lines = withBookmarks.text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines.map(l => l.type)).toEqual(['BOOKMARK']);
  });
});

describe('compaction', () => {
  it('answers 410 Expired to a watch from a resourceVersion older than the compaction window', async () => {
    const rv = await configMapsVersion();
    await sim.setFaults('cluster1', { watch: { historySeconds: 0.05 } });
    await createConfigMap('compacted-by-age');
    // The change falls out of the window: a watch from before it must be refused, as after an etcd compaction.
    const expired = async () => {
      const res = await raw(
        sim,
        'cluster1',
        `/api/v1/namespaces/kube-system/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=1`,
      );
      return JSON.parse(res.text.trim().split('\n')[0]);
    };
    let first = await expired();
    const deadline = Date.now() + 20_000;
    while (first.type !== 'ERROR' && Date.now() < deadline)
      first = await expired();
    expect(first).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
    await core.deleteNamespacedConfigMap({
      name: 'compacted-by-age',
      namespace: 'kube-system',
    });
  });

  it('compacts on demand (POST /_sim/compact): the old resourceVersion gets 410, the current one is accepted', async () => {
    const rv = await configMapsVersion();
    await createConfigMap('compacted-now');
    const answer = await raw(sim, 'cluster1', '/_sim/compact', {
      method: 'POST',
    });
    expect(answer.status).toBe(200);
    const old = await watch('/api/v1/namespaces/kube-system/configmaps', {
      resourceVersion: rv,
    });
    await old.until(() => old.ended() !== undefined, 'the watch to end');
    expect(old.events).toEqual([
      {
        type: 'ERROR',
        obj: expect.objectContaining({ code: 410, reason: 'Expired' }),
      },
    ]);
    const current = await raw(
      sim,
      'cluster1',
      `/api/v1/namespaces/kube-system/configmaps?watch=1&resourceVersion=${answer.body.compactedResourceVersion}&timeoutSeconds=1`,
    );
    expect(current.text).toBe('');
    await core.deleteNamespacedConfigMap({
      name: 'compacted-now',
      namespace: 'kube-system',
    });
  });
});

describe('dropped connections', () => {
  it('cuts every watch after N events (watch.dropAfterEvents): the client sees an error, not a clean end', async () => {
    await sim.setFaults('cluster1', { watch: { dropAfterEvents: 2 } });
    const w = await watch('/api/v1/namespaces/kube-system/configmaps', {
      resourceVersion: await configMapsVersion(),
    });
    for (const name of ['drop-1', 'drop-2', 'drop-3'])
      await createConfigMap(name);
    await w.until(() => w.ended() !== undefined, 'the watch to be cut');
    expect(w.events.map(e => e.obj.metadata.name)).toEqual([
      'drop-1',
      'drop-2',
    ]);
    expect(w.ended()!.error).toBeTruthy();
    for (const name of ['drop-1', 'drop-2', 'drop-3'])
      await core.deleteNamespacedConfigMap({
        name,
        namespace: 'kube-system',
      });
  });

  it('cuts every watch after T seconds (watch.dropAfterSeconds), open ones included', async () => {
    const w = await watch('/api/v1/namespaces/kube-system/configmaps', {
      resourceVersion: await configMapsVersion(),
    });
    await sim.setFaults('cluster1', { watch: { dropAfterSeconds: 0.3 } });
    await w.until(() => w.ended() !== undefined, 'the watch to be cut');
    expect(w.ended()!.error).toBeTruthy();
  });

  it('forbids the verb watch only (watch.forbidden): 403 to a watch, the list still answers', async () => {
    await sim.setFaults('cluster1', { watch: { forbidden: ['configmaps'] } });
    const refused = await raw(
      sim,
      'cluster1',
      '/api/v1/namespaces/kube-system/configmaps?watch=true&timeoutSeconds=1',
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      reason: 'Forbidden',
      message: expect.stringContaining('cannot watch resource "configmaps"'),
    });
    const list = await raw(
      sim,
      'cluster1',
      '/api/v1/namespaces/kube-system/configmaps',
    );
    expect(list.status).toBe(200);
  });

  it('cuts the open watches on demand (POST /_sim/watches/drop) and counts them', async () => {
    const a = await watch('/api/v1/namespaces/kube-system/configmaps', {
      resourceVersion: await configMapsVersion(),
    });
    const b = await watch('/api/v1/nodes', {
      resourceVersion: await configMapsVersion(),
    });
    expect((await raw(sim, 'cluster1', '/_sim/watches')).body.open).toBe(2);
    const answer = await raw(sim, 'cluster1', '/_sim/watches/drop', {
      method: 'POST',
    });
    expect(answer.body).toEqual({ dropped: 2 });
    await a.until(() => a.ended() !== undefined, 'watch a to be cut');
    await b.until(() => b.ended() !== undefined, 'watch b to be cut');
    expect(sim.openWatches('cluster1')).toBe(0);
  });
});

describe('restart', () => {
  it('starts above every resourceVersion of the simulator before it, so a resumed watch gets 410 and lists again', async () => {
    const before = Number(await configMapsVersion());
    await createConfigMap('lost-with-the-restart');
    const c1 = cluster(sim, 'cluster1');
    const port = Number(new URL(c1.url).port);
    await sim.stop();
    sim = await startSimulator({
      scenarioDir: scenarioDir('demo'),
      ports: { cluster1: port },
    });
    core = coreApi(sim, 'cluster1');
    expect(cluster(sim, 'cluster1').url).toBe(c1.url);
    const after = Number(await configMapsVersion());
    expect(after).toBeGreaterThan(before + 1);
    const res = await raw(
      sim,
      'cluster1',
      `/api/v1/namespaces/kube-system/configmaps?watch=1&resourceVersion=${
        before + 1
      }`,
    );
    expect(JSON.parse(res.text.trim())).toMatchObject({
      type: 'ERROR',
      object: { code: 410 },
    });
    expect(initialResourceVersion(Date.UTC(2030, 0, 1))).toBeLessThan(
      Number.MAX_SAFE_INTEGER,
    );
  });
});

describe('live changes', () => {
  const change = (body: object, name = 'cluster1') =>
    raw(sim, name, '/_sim/change', {
      method: 'POST',
      body: JSON.stringify(body),
    });

  it('moves the east-west gateway address, clears it and puts it back, as events a watch sees', async () => {
    const w = await watch('/api/v1/namespaces/istio-system/services', {
      resourceVersion: (
        await core.listNamespacedService({ namespace: 'istio-system' })
      ).metadata!.resourceVersion,
    });
    const moved = await change({
      op: 'gateway-address',
      args: ['203.0.113.10'],
    });
    expect(moved.status).toBe(200);
    expect(moved.body.changed).toEqual([
      expect.objectContaining({
        kind: 'Service',
        namespace: 'istio-system',
        action: 'updated',
      }),
    ]);
    const name = moved.body.changed[0].name;
    await change({ op: 'gateway-address', args: ['none'] });
    await change({ op: 'gateway-address', args: ['gw.example.com'] });
    await w.until(() => w.events.length >= 3, 'three MODIFIED events');
    w.stop();
    expect(
      w.events.map(e => [e.type, e.obj.metadata.name, e.obj.status]),
    ).toEqual([
      [
        'MODIFIED',
        name,
        { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
      ],
      ['MODIFIED', name, { loadBalancer: {} }],
      [
        'MODIFIED',
        name,
        { loadBalancer: { ingress: [{ hostname: 'gw.example.com' }] } },
      ],
    ]);
  });

  it('scales a deployment with the ready counts of a finished rollout', async () => {
    const apps = kubeConfig(sim, 'cluster1').makeApiClient(k8s.AppsV1Api);
    const [istiod] = (
      await apps.listNamespacedDeployment({
        namespace: 'istio-system',
        labelSelector: 'app=istiod',
      })
    ).items;
    const ref = `istio-system/${istiod.metadata!.name}`;
    sim.change('cluster1', { op: 'scale', args: [ref, '0'] });
    let read = await apps.readNamespacedDeployment({
      namespace: 'istio-system',
      name: istiod.metadata!.name!,
    });
    expect([read.spec?.replicas, read.status?.readyReplicas]).toEqual([0, 0]);
    sim.change('cluster1', { op: 'scale', args: [ref, '2'] });
    read = await apps.readNamespacedDeployment({
      namespace: 'istio-system',
      name: istiod.metadata!.name!,
    });
    expect([read.spec?.replicas, read.status?.readyReplicas]).toEqual([2, 2]);
  });

  it('deletes a remote secret and applies it back, status and labels as they were', async () => {
    const list = await core.listNamespacedSecret({
      namespace: 'istio-system',
      labelSelector: 'istio/multiCluster=true',
    });
    const secret = list.items[0];
    const name = secret.metadata!.name!;
    const deleted = await change({
      op: 'delete',
      args: ['secret', `istio-system/${name}`],
    });
    expect(deleted.body.changed[0]).toMatchObject({
      kind: 'Secret',
      name,
      action: 'deleted',
    });
    expect(
      (
        await core.listNamespacedSecret({
          namespace: 'istio-system',
          labelSelector: 'istio/multiCluster=true',
        })
      ).items.map(s => s.metadata!.name),
    ).not.toContain(name);
    const restored = await change({
      op: 'apply',
      objects: [{ apiVersion: 'v1', kind: 'Secret', ...secret }],
    });
    expect(restored.body.changed[0]).toMatchObject({ action: 'created' });
    const back = await core.readNamespacedSecret({
      namespace: 'istio-system',
      name,
    });
    expect(back.metadata?.labels).toEqual(secret.metadata?.labels);
    expect(back.data).toEqual(secret.data);
  });

  it('flips endpoint readiness round-robin, one EndpointSlice write per flip', async () => {
    const discovery = kubeConfig(sim, 'cluster1').makeApiClient(
      k8s.DiscoveryV1Api,
    );
    const ready = async () =>
      (await discovery.listEndpointSliceForAllNamespaces()).items
        .flatMap(s => s.endpoints ?? [])
        .filter(e => e.conditions?.ready !== false).length;
    const before = await ready();
    const flipped = sim.change('cluster1', {
      op: 'endpoints-flip',
      args: ['2'],
    });
    expect(flipped.changed).toHaveLength(2);
    expect(await ready()).toBe(before - 2);
  });

  it('refuses an unknown change or bad arguments with a message, and needs the cluster token', async () => {
    expect((await change({ op: 'explode' })).body.message).toContain(
      'unknown change "explode"',
    );
    const bad = await change({ op: 'scale', args: ['nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('usage: scale NAMESPACE/DEPLOYMENT');
    const missing = await change({
      op: 'delete',
      args: ['secret', 'istio-system/not-there'],
    });
    expect(missing.status).toBe(404);
    const anonymous = await raw(sim, 'cluster1', '/_sim/change', {
      method: 'POST',
      body: '{}',
      token: 'wrong',
    });
    expect(anonymous.status).toBe(401);
  });

  it('counts what watch streams send in the request stats', async () => {
    sim.resetRequestCounts();
    const w = await watch('/api/v1/namespaces/kube-system/configmaps', {
      resourceVersion: await configMapsVersion(),
    });
    await createConfigMap('counted');
    await w.until(() => w.events.length === 1, 'the ADDED event');
    w.stop();
    const stats = sim.requestStats('cluster1');
    expect(stats.byResource['watch configmaps']).toBe(1);
    expect(stats.watchBytes).toBeGreaterThan(
      JSON.stringify(w.events[0].obj).length,
    );
    expect(stats.bytes).toBeGreaterThanOrEqual(stats.watchBytes);
    await core.deleteNamespacedConfigMap({
      name: 'counted',
      namespace: 'kube-system',
    });
  });
});
