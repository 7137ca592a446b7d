// The istiod collector against kube-sim over real HTTP, with client-node's KubeConfig credentials.
import type { RunningSimulator } from '@internal/kube-sim';
import { kubeSimClient, startSim } from '../__testUtils__/kubeSim';
import type { IstiodView } from '@internal/plugin-service-mesh-common';
import {
  collectIstiod,
  PODS_PROXY_RBAC_RULE,
  PORT_FORWARD_RBAC_RULE,
  reusableProxySync,
} from './istiod';
import type { IstiodTransport } from './istiodConfig';

jest.setTimeout(30_000);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim('demo');
});
afterAll(async () => {
  await sim?.stop();
});
afterEach(async () => {
  await sim.setFaults('cluster1', {});
});

function client(name: string) {
  return kubeSimClient(sim, name);
}

const collect = (
  name = 'cluster1',
  timeoutMs = 5000,
  transport?: IstiodTransport,
) => collectIstiod(client(name), { timeoutMs, transport });

it("reads the remote clusters and proxy sync of each revision's istiod through a port-forward", async () => {
  sim.resetRequestCounts();
  const [view] = (await collect())!;
  // one forward per endpoint, nothing through the pod proxy
  expect(sim.requestStats('cluster1').byResource).toMatchObject({
    'get pods/portforward': 2,
  });
  expect(
    sim.requestStats('cluster1').byResource['get pods/proxy'],
  ).toBeUndefined();
  expect(view).toMatchObject({
    revision: '1-22',
    namespace: 'istio-system',
    pod: 'istiod-1-22-mbkf7kwt57-m7ctv',
    status: 'ok',
    clusterId: 'cluster1',
    remoteClusters: [
      {
        id: 'cluster2',
        secretName: 'istio-system/istio-remote-secret-cluster2',
        syncStatus: 'synced',
      },
      {
        id: 'cluster3',
        secretName: 'istio-system/istio-remote-secret-cluster3',
        syncStatus: 'timeout',
      },
    ],
  });
  const proxies = view.proxies!;
  expect(proxies.total).toBeGreaterThan(5);
  expect(proxies.total - proxies.synced).toBe(2);
  expect(proxies.rowsTotal).toBe(2);
  expect(proxies.rows.map(r => r.pod).sort()).toEqual([
    'product-service-sk49fkr92z-jcqcc',
    'product-service-sk49fkr92z-qsjxj',
  ]);
  const row = proxies.rows[0];
  expect(row).toMatchObject({
    namespace: 'global-svc',
    clusterId: 'cluster1',
    version: '1.22.4',
    proxyType: 'sidecar',
  });
  expect(row.xds.EDS?.state).toBe('STALE');
  expect(row.xds.CDS?.state).toBe('SYNCED');
  // the age is istiod's own: its Date header minus its sentTime
  const age = Date.parse(view.observedAt!) - Date.parse(row.xds.EDS!.since!);
  expect(age).toBeGreaterThanOrEqual(11 * 60_000);
  expect(
    proxies.byNamespace.find(n => n.namespace === 'global-svc'),
  ).toMatchObject({ clusterId: 'cluster1', stale: 2 });
  expect(proxies.versions).toEqual([
    { version: '1.22.4', proxies: proxies.total },
  ]);
});

it('falls back to the next Ready istiod pod when the forward to the first fails (a kubelet forwarding error)', async () => {
  // Ready, sorted first, but with no pod IP: the kubelet cannot connect to its port.
  const broken = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'istiod-1-22-aaaaaaaaaa-aaaaa',
      namespace: 'istio-system',
      labels: { app: 'istiod', 'istio.io/rev': '1-22' },
    },
    spec: { containers: [{ name: 'discovery', image: 'istio/pilot:1.22.4' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
  sim.change('cluster1', { op: 'apply', objects: [broken] });
  try {
    sim.resetRequestCounts();
    const [view] = (await collect())!;
    expect(view).toMatchObject({
      status: 'ok',
      pod: 'istiod-1-22-mbkf7kwt57-m7ctv',
    });
    expect(view.remoteClusters).toHaveLength(2);
    const forwards = sim
      .requestLog('cluster1')
      .filter(e => e.resource === 'pods/portforward')
      .map(e => e.path.split('/')[6]);
    expect(forwards.slice(0, 2)).toEqual([
      broken.metadata.name,
      broken.metadata.name,
    ]);
    expect(forwards.slice(2)).toEqual([
      'istiod-1-22-mbkf7kwt57-m7ctv',
      'istiod-1-22-mbkf7kwt57-m7ctv',
    ]);
  } finally {
    sim.change('cluster1', {
      op: 'delete',
      args: ['pod', `istio-system/${broken.metadata.name}`],
    });
  }
});

it('reports a 403 on pods/portforward with the RBAC rule to add, and does not try other pods', async () => {
  await sim.setFaults('cluster1', { forbidden: ['pods/portforward'] });
  const [view] = (await collect())!;
  expect(view).toMatchObject({
    status: 'forbidden',
    rbacRule: PORT_FORWARD_RBAC_RULE,
  });
  expect(view.error).toContain('pods/portforward');
  expect(view.remoteClusters).toBeUndefined();
});

it('gets 401 from a stock istiod through the pod proxy (it serves /debug to loopback only), while the forward works', async () => {
  const [proxied] = (await collect('cluster1', 5000, 'podProxy'))!;
  expect(proxied.status).toBe('unauthenticated');
  expect(proxied.error).toMatch(
    /istiod answered 401 .* pod proxy forwards no credentials/,
  );
  expect(proxied.remoteClusters).toBeUndefined();
  const [forwarded] = (await collect('cluster1', 5000, 'portForward'))!;
  expect(forwarded.status).toBe('ok');
  expect(forwarded.remoteClusters).toHaveLength(2);
});

it('reads through the pod proxy when asked and istiod serves any caller; a 403 there names pods/proxy', async () => {
  await sim.setFaults('cluster1', { istiod: { debug: 'open' } });
  const [view] = (await collect('cluster1', 5000, 'podProxy'))!;
  expect(view.status).toBe('ok');
  expect(view.proxies!.total).toBeGreaterThan(5);
  await sim.setFaults('cluster1', {
    istiod: { debug: 'open' },
    forbidden: ['pods/proxy'],
  });
  const [denied] = (await collect('cluster1', 5000, 'podProxy'))!;
  expect(denied).toMatchObject({
    status: 'forbidden',
    rbacRule: PODS_PROXY_RBAC_RULE,
  });
});

it.each([
  [{ debug: 'disabled' as const }, 'disabled', /ENABLE_DEBUG_ON_HTTP=false/],
  [
    { debug: 'unauthenticated' as const },
    'unauthenticated',
    /demands authentication even there/,
  ],
  [{ status: 500 }, 'error', /istiod answered 500/],
  [{ malformed: true }, 'error', /not valid JSON/],
])('degrades on istiod fault %j to %s', async (istiod, status, message) => {
  await sim.setFaults('cluster1', { istiod });
  const [view] = (await collect())!;
  expect(view.status).toBe(status);
  expect(view.error).toMatch(message);
});

it('times out a slow istiod on its own budget', async () => {
  await sim.setFaults('cluster1', { istiod: { latencyMs: 30_000 } });
  const [view] = (await collect('cluster1', 300))!;
  expect(view).toMatchObject({ status: 'unreachable' });
  expect(view.error).toMatch(/did not answer .* within 300 ms/);
});

it('leaves istiod out when its pods cannot be listed', async () => {
  await sim.setFaults('cluster1', { forbidden: ['pods'] });
  expect(await collect()).toBeUndefined();
});

describe('syncz on its own interval (serviceMesh.istiod.proxySyncIntervalSeconds)', () => {
  const T0 = new Date('2026-12-07T06:00:00Z');
  const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
  const forwards = () =>
    sim.requestStats('cluster1').byResource['get pods/portforward'] ?? 0;
  const read = async (now: Date, previous?: IstiodView[]) => {
    sim.resetRequestCounts();
    const views = (await collectIstiod(client('cluster1'), {
      timeoutMs: 5000,
      proxySync: { intervalMs: 300_000, now, previous },
    }))!;
    return { views, forwards: forwards() };
  };

  it('keeps the last syncz result with its read time within the interval and reads clusterz every time', async () => {
    const first = await read(T0);
    expect(first.forwards).toBe(2);
    const [view] = first.views;
    expect(view.proxiesReadAt).toBe(T0.toISOString());
    expect(view.proxies!.total).toBeGreaterThan(5);

    // 299 s later: clusterz only; the proxies, istiod's clock and the read time are the first read's
    const within = await read(at(299), first.views);
    expect(within.forwards).toBe(1);
    expect(within.views[0]).toMatchObject({
      status: 'ok',
      proxies: view.proxies,
      proxiesReadAt: T0.toISOString(),
      observedAt: view.observedAt,
      remoteClusters: view.remoteClusters,
    });

    // at the interval: both again, with the new read time
    const due = await read(at(300), within.views);
    expect(due.forwards).toBe(2);
    expect(due.views[0].proxiesReadAt).toBe(at(300).toISOString());

    // a clock that went back does not trust the kept result
    const back = await read(at(-10), due.views);
    expect(back.forwards).toBe(2);
  });

  it('reads syncz when the previous view had none (it failed) or belongs to another revision', () => {
    const kept = {
      revision: '1-22',
      namespace: 'istio-system',
      status: 'ok' as const,
      proxiesReadAt: T0.toISOString(),
      proxies: {
        total: 1,
        synced: 1,
        byNamespace: [],
        versions: [],
        rows: [],
        rowsTotal: 0,
      },
    };
    const schedule = (previous: IstiodView[]) => ({
      intervalMs: 300_000,
      now: at(10),
      previous,
    });
    expect(
      reusableProxySync(schedule([kept]), 'istio-system/1-22'),
    ).toMatchObject({ proxiesReadAt: T0.toISOString() });
    expect(
      reusableProxySync(schedule([kept]), 'istio-system/1-23'),
    ).toBeUndefined();
    const { proxies, ...failed } = kept;
    void proxies;
    expect(
      reusableProxySync(schedule([failed]), 'istio-system/1-22'),
    ).toBeUndefined();
    expect(
      reusableProxySync(
        { ...schedule([kept]), intervalMs: 0 },
        'istio-system/1-22',
      ),
    ).toBeUndefined();
    expect(reusableProxySync(undefined, 'istio-system/1-22')).toBeUndefined();
  });
});
