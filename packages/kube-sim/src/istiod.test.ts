// istiod's debug endpoints through `pods/portforward` (client-node's own PortForward as the client: WebSocket,
// v4.channel.k8s.io) and through the pod proxy subresource, over real HTTP with @kubernetes/client-node.
import http from 'node:http';
import { startSimulator } from './simulator.ts';
import type { RunningSimulator } from './types.ts';
import { coreApi, raw, scenarioDir } from './__testUtils__/sim.ts';
import { portForwardGet } from './__testUtils__/portForward.ts';
import { parsePodProxy, XDS_TYPE_URLS } from './istiod.ts';

jest.setTimeout(30_000);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: scenarioDir('demo') });
});
afterAll(async () => {
  await sim?.stop();
});
afterEach(async () => {
  for (const c of ['cluster1', 'cluster2']) await sim.setFaults(c, {});
});

const ISTIOD = 'istiod-1-22-mbkf7kwt57-m7ctv';
const debugPath = (pod: string, path: string, port = 15014) =>
  `/api/v1/namespaces/istio-system/pods/${pod}:${port}/proxy/debug/${path}`;

const forwardGet = (name: string, pod: string, path: string, port = 15014) =>
  portForwardGet(sim, name, 'istio-system', pod, path, port);

/** The API server's refusal of a port-forward upgrade: status and Status body. */
async function forwardRefused(
  name: string,
  pod: string,
  opts: { token?: string; protocol?: string } = {},
) {
  const c = sim.clusters.find(x => x.name === name)!;
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.get(
      `${c.url}/api/v1/namespaces/istio-system/pods/${pod}/portforward?ports=15014`,
      {
        headers: {
          Authorization: `Bearer ${opts.token ?? c.token}`,
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Protocol': opts.protocol ?? 'v4.channel.k8s.io',
        },
      },
      res => {
        let text = '';
        res.on('data', c2 => {
          text += c2;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    );
    req.on('upgrade', () => reject(new Error('the upgrade was accepted')));
    req.on('error', reject);
  });
}

it('serves /debug/clusterz and /debug/syncz through pods/portforward (client-node PortForward as the client)', async () => {
  const clusterz = await forwardGet('cluster1', ISTIOD, '/debug/clusterz');
  expect(clusterz.status).toBe(200);
  expect(clusterz.error).toBe('');
  expect(JSON.parse(clusterz.text)).toContainEqual({
    id: 'cluster3',
    secretName: 'istio-system/istio-remote-secret-cluster3',
    syncStatus: 'timeout',
  });
  const syncz = await forwardGet('cluster1', ISTIOD, '/debug/syncz');
  expect(syncz.status).toBe(200);
  expect(syncz.headers.date).toBeTruthy();
  expect((JSON.parse(syncz.text) as any[]).map(e => e.proxy)).toContain(
    'product-service-sk49fkr92z-qsjxj.global-svc',
  );
  expect(
    sim.requestLog('cluster1').filter(e => e.resource === 'pods/portforward'),
  ).toContainEqual(
    expect.objectContaining({
      verb: 'get',
      status: 101,
      query: { ports: '15014' },
    }),
  );
});

it('is a stock istiod: the pod proxy gets 401 (not on loopback), the forward is served; debug: open serves both', async () => {
  const proxied = await raw(sim, 'cluster1', debugPath(ISTIOD, 'clusterz'));
  expect([proxied.status, proxied.text]).toEqual([401, '']);
  expect((await forwardGet('cluster1', ISTIOD, '/debug/clusterz')).status).toBe(
    200,
  );
  await sim.setFaults('cluster1', { istiod: { debug: 'open' } });
  expect(
    (await raw(sim, 'cluster1', debugPath(ISTIOD, 'clusterz'))).status,
  ).toBe(200);
});

it('refuses the forward like an API server: 401, 403 on pods/portforward, 404 pod, no v4 protocol; a closed port on the error channel', async () => {
  expect(
    (await forwardRefused('cluster1', ISTIOD, { token: 'wrong' })).status,
  ).toBe(401);
  expect((await forwardRefused('cluster1', 'nope')).status).toBe(404);
  const spdyOnly = await forwardRefused('cluster1', ISTIOD, {
    protocol: 'SPDY/3.1+portforward.k8s.io',
  });
  expect(spdyOnly.status).toBe(400);
  expect(spdyOnly.body.message).toMatch(/v4\.channel\.k8s\.io/);
  await sim.setFaults('cluster1', { forbidden: ['pods/portforward'] });
  const denied = await forwardRefused('cluster1', ISTIOD);
  expect(denied.status).toBe(403);
  expect(denied.body).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
  expect(denied.body.message).toContain(
    'resource "pods/portforward" in API group "" in the namespace "istio-system"',
  );
  await sim.setFaults('cluster1', {});
  const closedPort = await forwardGet(
    'cluster1',
    ISTIOD,
    '/debug/clusterz',
    8080,
  );
  expect(closedPort.status).toBe(0);
  expect(closedPort.error).toMatch(
    /error forwarding port 8080 to pod istiod-1-22-mbkf7kwt57-m7ctv.*connection refused/,
  );
});

it('injects istiod faults on the forward: disabled, unauthenticated, 500, malformed', async () => {
  const get = () => forwardGet('cluster1', ISTIOD, '/debug/syncz');
  await sim.setFaults('cluster1', { istiod: { debug: 'disabled' } });
  expect((await get()).status).toBe(404);
  await sim.setFaults('cluster1', { istiod: { debug: 'unauthenticated' } });
  expect((await get()).status).toBe(401);
  await sim.setFaults('cluster1', { istiod: { status: 500 } });
  expect((await get()).status).toBe(500);
  await sim.setFaults('cluster1', { istiod: { malformed: true } });
  const cut = await get();
  expect(cut.status).toBe(200);
  expect(() => JSON.parse(cut.text)).toThrow();
});

it('parses pod proxy paths with and without scheme and port', () => {
  expect(
    parsePodProxy('/api/v1/namespaces/ns/pods/p:15014/proxy/debug/syncz'),
  ).toEqual({
    namespace: 'ns',
    pod: 'p',
    port: 15014,
    path: '/debug/syncz',
  });
  expect(
    parsePodProxy('/api/v1/namespaces/ns/pods/https:p:443/proxy'),
  ).toMatchObject({ pod: 'p', port: 443, path: '/' });
  expect(parsePodProxy('/api/v1/namespaces/ns/pods/p/proxy/x')).toMatchObject({
    port: undefined,
  });
  expect(parsePodProxy('/api/v1/namespaces/ns/pods/p')).toBeUndefined();
});

it('serves /debug/clusterz through the pod proxy of an istiod that serves any caller: the local cluster first, then one row per remote secret', async () => {
  await sim.setFaults('cluster1', { istiod: { debug: 'open' } });
  const body: unknown = await coreApi(
    sim,
    'cluster1',
  ).connectGetNamespacedPodProxyWithPath({
    name: `${ISTIOD}:15014`,
    namespace: 'istio-system',
    path: 'debug/clusterz',
  });
  expect(typeof body === 'string' ? JSON.parse(body) : body).toEqual([
    { id: 'cluster1', secretName: '', syncStatus: 'synced' },
    {
      id: 'cluster2',
      secretName: 'istio-system/istio-remote-secret-cluster2',
      syncStatus: 'synced',
    },
    // the demo's deliberate problem: this remote's kubeconfig points nowhere
    {
      id: 'cluster3',
      secretName: 'istio-system/istio-remote-secret-cluster3',
      syncStatus: 'timeout',
    },
  ]);
  expect(
    sim.requestStats('cluster1').byResource['get pods/proxy'],
  ).toBeGreaterThan(0);
});

it('serves /debug/syncz with per-type sent/acked nonces, sentTime and the proxy version', async () => {
  await sim.setFaults('cluster1', { istiod: { debug: 'open' } });
  const res = await raw(sim, 'cluster1', debugPath(ISTIOD, 'syncz'));
  expect(res.status).toBe(200);
  const entries = res.body as any[];
  const ids = entries.map(e => e.proxy);
  expect(ids).toContain('product-service-sk49fkr92z-qsjxj.global-svc');
  // the east-west gateway is a router; gateways are proxies too
  expect(
    entries.find(e => e.proxy.startsWith('istio-eastwestgateway')),
  ).toMatchObject({ proxy_type: 'router' });
  const stale = entries.find(
    e => e.proxy === 'product-service-sk49fkr92z-qsjxj.global-svc',
  );
  expect(stale).toMatchObject({
    cluster_id: 'cluster1',
    proxy_type: 'sidecar',
    istio_version: '1.22.4',
  });
  const eds = stale.resources[XDS_TYPE_URLS.EDS];
  expect(eds.sent).not.toEqual(eds.acked);
  const age = Date.now() - Date.parse(eds.sentTime);
  expect(age).toBeGreaterThanOrEqual(12 * 60_000 - 1000);
  const cds = stale.resources[XDS_TYPE_URLS.CDS];
  expect(cds.sent).toEqual(cds.acked);
  const filtered = await raw(
    sim,
    'cluster1',
    `${debugPath(ISTIOD, 'syncz')}?namespace=payments`,
  );
  expect(
    (filtered.body as any[]).every(e => e.proxy.endsWith('.payments')),
  ).toBe(true);
  expect((filtered.body as any[]).length).toBeGreaterThan(0);
});

it('answers like an API server for wrong pods and ports, and honours the 403 on pods/proxy', async () => {
  expect(
    (await raw(sim, 'cluster1', debugPath('nope', 'clusterz'))).status,
  ).toBe(404);
  const wrongPort = await raw(
    sim,
    'cluster1',
    debugPath(ISTIOD, 'clusterz', 8080),
  );
  expect(wrongPort.status).toBe(503);
  expect(wrongPort.body.message).toMatch(/connection refused/);
  expect(
    (
      await raw(sim, 'cluster1', debugPath(ISTIOD, 'clusterz'), {
        token: 'wrong',
      })
    ).status,
  ).toBe(401);
  await sim.setFaults('cluster1', { forbidden: ['pods/proxy'] });
  const denied = await raw(sim, 'cluster1', debugPath(ISTIOD, 'clusterz'));
  expect(denied.status).toBe(403);
  expect(denied.body).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
  expect(denied.body.message).toContain(
    'cannot get resource "pods/proxy" in API group "" in the namespace "istio-system"',
  );
});

it('injects istiod faults on the pod proxy: disabled debug, unauthenticated, 500 and malformed JSON', async () => {
  await sim.setFaults('cluster1', { istiod: { debug: 'disabled' } });
  const disabled = await raw(sim, 'cluster1', debugPath(ISTIOD, 'clusterz'));
  expect([disabled.status, disabled.text]).toEqual([
    404,
    '404 page not found\n',
  ]);
  await sim.setFaults('cluster1', { istiod: { debug: 'unauthenticated' } });
  expect((await raw(sim, 'cluster1', debugPath(ISTIOD, 'syncz'))).status).toBe(
    401,
  );
  await sim.setFaults('cluster1', { istiod: { status: 500 } });
  expect((await raw(sim, 'cluster1', debugPath(ISTIOD, 'syncz'))).status).toBe(
    500,
  );
  await sim.setFaults('cluster1', {
    istiod: { malformed: true, debug: 'open' },
  });
  const cut = await raw(sim, 'cluster1', debugPath(ISTIOD, 'clusterz'));
  expect(cut.status).toBe(200);
  expect(() => JSON.parse(cut.text)).toThrow();
  await expect(
    sim.setFaults('cluster1', { istiod: { status: 200 } } as any),
  ).rejects.toThrow(/status/);
});

it('delays only istiod, not the API server, with istiod.latencyMs', async () => {
  await sim.setFaults('cluster2', { istiod: { latencyMs: 60_000 } });
  const c2 = sim.clusters.find(c => c.name === 'cluster2')!;
  const api = coreApi(sim, 'cluster2');
  const pods = await api.listNamespacedPod({ namespace: 'istio-system' });
  const istiod = pods.items.find(p => p.metadata?.labels?.app === 'istiod')!
    .metadata!.name!;
  const controller = new AbortController();
  let settled = false;
  const pending = fetch(`${c2.url}${debugPath(istiod, 'clusterz')}`, {
    headers: { Authorization: `Bearer ${c2.token}` },
    signal: controller.signal,
  }).finally(() => {
    settled = true;
  });
  // the API server keeps answering while istiod is slow
  await api.listNamespacedPod({ namespace: 'istio-system' });
  expect(
    sim.requestLog('cluster2').some(e => e.resource === 'pods/proxy'),
  ).toBe(true);
  expect(settled).toBe(false);
  controller.abort();
  await expect(pending).rejects.toThrow();
});
