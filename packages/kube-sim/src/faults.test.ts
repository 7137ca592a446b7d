// Faults of the `faults` scenario, runtime fault changes and the /_sim admin endpoints.
import * as k8s from '@kubernetes/client-node';
import { startSimulator } from './simulator.ts';
import type { RunningSimulator } from './types.ts';
import {
  apiError,
  cluster,
  coreApi,
  eventually,
  kubeConfig,
  raw,
  scenarioDir,
} from './__testUtils__/sim.ts';

jest.setTimeout(30_000);

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ scenarioDir: scenarioDir('faults') });
});

afterAll(async () => {
  await sim?.stop();
});

async function connectionError(
  call: Promise<unknown>,
): Promise<string | undefined> {
  try {
    await call;
  } catch (e: any) {
    return e.code ?? e.cause?.code;
  }
  throw new Error('expected the call to fail');
}

it('serves the healthy cluster', async () => {
  const pods = await coreApi(sim, 'healthy').listNamespacedPod({
    namespace: 'mesh-app',
  });
  expect(pods.items.map(p => p.spec?.containers.map(c => c.name))).toEqual([
    ['app', 'istio-proxy'],
  ]);
  expect(sim.clusters.map(c => c.name)).toEqual([
    'healthy',
    'down',
    'slow',
    'unauthorized',
    'forbidden',
    'forbidden-secrets',
    'malformed',
  ]);
});

it('refuses connections to a down cluster', async () => {
  expect(await connectionError(coreApi(sim, 'down').listNamespace())).toBe(
    'ECONNREFUSED',
  );
});

it('delays every answer of a slow cluster', async () => {
  // The scenario's 30 s: received, and still unanswered after a later request to another cluster was answered.
  const received = sim.requestCount('slow');
  const controller = new AbortController();
  let answered = false;
  const slow = fetch(`${cluster(sim, 'slow').url}/api/v1/namespaces`, {
    headers: { Authorization: `Bearer ${cluster(sim, 'slow').token}` },
    signal: controller.signal,
  }).then(() => {
    answered = true;
  });
  await eventually(
    () => sim.requestCount('slow') > received,
    'the slow cluster to receive the request',
  );
  expect((await raw(sim, 'healthy', '/api/v1/namespaces')).status).toBe(200);
  expect(answered).toBe(false);
  controller.abort();
  await expect(slow).rejects.toThrow();
  // A latency is a delay, not a failure: the answer comes.
  await sim.setFaults('slow', { latencyMs: 200 });
  expect(
    (await coreApi(sim, 'slow').listNamespace()).items.length,
  ).toBeGreaterThan(0);
  await sim.setFaults('slow', { latencyMs: 30_000 });
});

it('answers 401 to every call of an unauthorized cluster, even with its token', async () => {
  expect(
    (await apiError(coreApi(sim, 'unauthorized').listNamespace())).code,
  ).toBe(401);
  expect((await raw(sim, 'unauthorized', '/apis')).status).toBe(401);
});

it('answers 403 Forbidden, with the API server message, for forbidden resources only', async () => {
  const objects = kubeConfig(sim, 'forbidden').makeApiClient(
    k8s.CustomObjectsApi,
  );
  const denied = await apiError(
    objects.listClusterCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      plural: 'destinationrules',
    }),
  );
  expect(denied.code).toBe(403);
  expect(denied.status).toMatchObject({
    kind: 'Status',
    reason: 'Forbidden',
    code: 403,
    message:
      'destinationrules.networking.istio.io is forbidden: User "system:serviceaccount:backstage:backstage-service-mesh" cannot list resource "destinationrules" in API group "networking.istio.io" at the cluster scope',
    details: { group: 'networking.istio.io', kind: 'destinationrules' },
  });
  const inNamespace = await apiError(
    objects.listNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1alpha3',
      namespace: 'mesh-app',
      plural: 'destinationrules',
    }),
  );
  expect(inNamespace.status.message).toMatch(
    /cannot list resource "destinationrules" in API group "networking.istio.io" in the namespace "mesh-app"$/,
  );
  expect(
    (
      await coreApi(sim, 'forbidden').listNamespacedSecret({
        namespace: 'istio-system',
      })
    ).items,
  ).toHaveLength(6);

  const secrets = await raw(
    sim,
    'forbidden-secrets',
    '/api/v1/namespaces/istio-system/secrets',
    {
      headers: {
        Accept:
          'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      },
    },
  );
  expect(secrets.status).toBe(403);
  expect(secrets.body.message).toBe(
    'secrets is forbidden: User "system:serviceaccount:backstage:backstage-service-mesh" cannot list resource "secrets" in API group "" in the namespace "istio-system"',
  );
  const review = await kubeConfig(sim, 'forbidden-secrets')
    .makeApiClient(k8s.AuthorizationV1Api)
    .createSelfSubjectAccessReview({
      body: {
        spec: { resourceAttributes: { verb: 'list', resource: 'secrets' } },
      },
    });
  expect(review.status?.allowed).toBe(false);
});

it('fails a deterministic share of calls with errorRate', async () => {
  const run = async () => {
    await sim.setFaults('healthy', { errorRate: 0.5 });
    const codes: number[] = [];
    for (let i = 0; i < 40; i++)
      codes.push((await raw(sim, 'healthy', '/api/v1/namespaces')).status);
    return codes;
  };
  const first = await run();
  const failures = first.filter(c => c === 500).length;
  expect(failures).toBeGreaterThan(8);
  expect(failures).toBeLessThan(32);
  expect(first.filter(c => c !== 500).every(c => c === 200)).toBe(true);
  expect(await run()).toEqual(first);
  await sim.setFaults('healthy', { errorRate: 1 });
  const failed = await raw(sim, 'healthy', '/api/v1/namespaces');
  expect(failed.body).toMatchObject({
    kind: 'Status',
    reason: 'InternalError',
    code: 500,
  });
  await sim.setFaults('healthy', {});
});

it('loads malformed objects as written and reports the documents it cannot index', async () => {
  const svc = await raw(
    sim,
    'malformed',
    '/api/v1/namespaces/mesh-app/services/broken-ports',
  );
  expect(svc.body.spec.ports).toBe('80');
  const pods = await raw(
    sim,
    'malformed',
    '/api/v1/namespaces/mesh-app/pods?labelSelector=app%3Dbroken',
  );
  expect(pods.body.items.map((p: any) => p.metadata.name)).toEqual([
    'no-containers',
  ]);
  const table = await raw(
    sim,
    'malformed',
    '/api/v1/namespaces/mesh-app/services',
    { headers: { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' } },
  );
  expect(table.body.rows.map((r: any) => r.cells[0])).toEqual([
    'broken-ports',
    'echo',
  ]);
  const cm = await raw(
    sim,
    'malformed',
    '/api/v1/namespaces/mesh-app/configmaps/bad-labels',
  );
  expect(cm.body.metadata.labels).toBe('app=broken');
  const warnings = sim.warnings.filter(w => w.cluster === 'malformed');
  expect(warnings.map(w => w.file).sort()).toEqual([
    'malformed/broken.jsonl',
    'malformed/malformed.yaml',
    'malformed/malformed.yaml',
    'malformed/malformed.yaml',
    'malformed/malformed.yaml',
  ]);
  expect(warnings[0].message).toMatch(/^line 2: .*JSON.*; skipped$/);
  const jsonl = await raw(
    sim,
    'malformed',
    '/api/v1/namespaces/mesh-app/configmaps/from-jsonl',
  );
  expect(jsonl.body.data).toEqual({ format: 'one JSON object a line' });
  expect(warnings.map(w => w.message).join('\n')).toMatch(
    /example.com\/v1 Widget is not served/,
  );
  expect(sim.warnings.filter(w => w.cluster !== 'malformed')).toEqual([]);
});

describe('runtime faults and the admin endpoints', () => {
  it('closes and reopens the port of a cluster set down and up again', async () => {
    const { url } = cluster(sim, 'healthy');
    await sim.setFaults('healthy', { down: true });
    expect(await connectionError(coreApi(sim, 'healthy').listNamespace())).toBe(
      'ECONNREFUSED',
    );
    await sim.setFaults('healthy', {});
    expect(cluster(sim, 'healthy').url).toBe(url);
    expect(
      (await coreApi(sim, 'healthy').listNamespace()).items.length,
    ).toBeGreaterThan(0);
    await sim.setFaults('down', {});
    expect(
      (await coreApi(sim, 'down').listNamespace()).items.length,
    ).toBeGreaterThan(0);
    await sim.setFaults('down', { down: true });
  });

  it('changes faults with PUT /_sim/faults, ignoring the faults themselves', async () => {
    const put = await raw(sim, 'unauthorized', '/_sim/faults', {
      method: 'PUT',
      body: JSON.stringify({ forbidden: ['pods'] }),
    });
    expect(put.status).toBe(200);
    expect(sim.faults('unauthorized')).toEqual({ forbidden: ['pods'] });
    expect((await raw(sim, 'unauthorized', '/api/v1/namespaces')).status).toBe(
      200,
    );
    expect((await raw(sim, 'unauthorized', '/api/v1/pods')).status).toBe(403);
    expect((await raw(sim, 'unauthorized', '/_sim/faults')).body).toEqual({
      forbidden: ['pods'],
    });
    const bad = await raw(sim, 'unauthorized', '/_sim/faults', {
      method: 'PUT',
      body: JSON.stringify({ latencyMs: 'slow' }),
    });
    expect(bad.status).toBe(400);
    await sim.setFaults('unauthorized', { unauthorized: true });
  });

  it('requires the cluster token on the admin endpoints', async () => {
    expect(
      (await raw(sim, 'healthy', '/_sim/stats', { token: 'wrong' })).status,
    ).toBe(401);
    expect(
      (await raw(sim, 'healthy', '/_sim/stats', { token: null })).status,
    ).toBe(401);
  });

  it('goes down through PUT /_sim/faults after answering; only the programmatic API brings it back', async () => {
    const put = await raw(sim, 'malformed', '/_sim/faults', {
      method: 'PUT',
      body: JSON.stringify({ down: true }),
    });
    expect(put.status).toBe(200);
    // `down` takes effect once the answer has gone out.
    await eventually(
      async () =>
        (await connectionError(coreApi(sim, 'malformed').listNamespace()).catch(
          () => undefined,
        )) === 'ECONNREFUSED',
      'the port to refuse connections',
    );
    await sim.setFaults('malformed', {});
    expect((await raw(sim, 'malformed', '/version')).status).toBe(200);
  });

  it('counts the requests of every cluster, and not the admin calls', async () => {
    sim.resetRequestCounts();
    await raw(sim, 'healthy', '/api/v1/pods');
    await raw(sim, 'unauthorized', '/api/v1/pods');
    await raw(
      sim,
      'forbidden',
      '/apis/networking.istio.io/v1/destinationrules',
    );
    await raw(sim, 'healthy', '/_sim/stats');
    expect(sim.requestCount()).toBe(3);
    expect(sim.requestStats('forbidden').byResource).toEqual({
      'list destinationrules.networking.istio.io': 1,
    });
    expect(sim.requestLog('unauthorized')).toEqual([
      {
        method: 'GET',
        path: '/api/v1/pods',
        query: {},
        accept: '*/*',
        verb: 'list',
        resource: 'pods',
        status: 401,
      },
    ]);
  });
});
