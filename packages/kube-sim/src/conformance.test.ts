// The simulator answers like an API server to @kubernetes/client-node over real HTTP: the demo scenario.
import * as k8s from '@kubernetes/client-node';
import { startSimulator } from './simulator.ts';
import type { RunningSimulator } from './types.ts';
import {
  apiError,
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

const names = (list: { items: Array<{ metadata?: { name?: string } }> }) =>
  list.items.map(i => i.metadata?.name).sort();

describe('discovery', () => {
  it('serves /api, /apis and group versions, with CRD groups only where their CRDs are', async () => {
    const api = await raw(sim, 'cluster1', '/api');
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await raw(sim, 'cluster1', '/apis');
    const groups = apis.body.groups.map((g: any) => g.name);
    expect(groups).toEqual(
      expect.arrayContaining([
        'apps',
        'discovery.k8s.io',
        'networking.istio.io',
        'security.istio.io',
      ]),
    );
    expect(groups).not.toContain('asm.alauda.io');
    const istio = apis.body.groups.find(
      (g: any) => g.name === 'networking.istio.io',
    );
    expect(istio.preferredVersion).toEqual({
      groupVersion: 'networking.istio.io/v1',
      version: 'v1',
    });
    expect(istio.versions.map((v: any) => v.version)).toEqual([
      'v1',
      'v1beta1',
      'v1alpha3',
    ]);

    const global = await raw(sim, 'global', '/apis');
    expect(global.body.groups.map((g: any) => g.name)).toContain(
      'asm.alauda.io',
    );
    expect(global.body.groups.map((g: any) => g.name)).not.toContain(
      'networking.istio.io',
    );

    const v1 = await raw(sim, 'cluster1', '/api/v1');
    const pods = v1.body.resources.find((r: any) => r.name === 'pods');
    expect(pods).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
    });
    expect(v1.body.resources.map((r: any) => r.name)).toContain('pods/status');
    const dr = await raw(sim, 'cluster1', '/apis/networking.istio.io/v1alpha3');
    expect(
      dr.body.resources.find((r: any) => r.name === 'destinationrules'),
    ).toMatchObject({ kind: 'DestinationRule', shortNames: ['dr'] });
    expect((await raw(sim, 'cluster1', '/apis/apps')).body).toMatchObject({
      kind: 'APIGroup',
      name: 'apps',
    });
  });

  it('answers /version without credentials, and 404 Status for /openapi/v2 and unknown paths', async () => {
    const version = await raw(sim, 'cluster1', '/version', { token: null });
    expect(version.status).toBe(200);
    expect(version.body).toMatchObject({
      major: '1',
      gitVersion: expect.stringMatching(/^v1\./),
    });
    for (const path of [
      '/openapi/v2',
      '/apis/networking.istio.io/v2',
      '/api/v1/widgets',
      '/nope',
    ]) {
      const res = await raw(sim, 'cluster1', path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        kind: 'Status',
        reason: 'NotFound',
        code: 404,
      });
    }
  });

  it('also answers HTTPS on the same port', async () => {
    const api = kubeConfig(sim, 'cluster1', { https: true }).makeApiClient(
      k8s.CoreV1Api,
    );
    expect(names(await api.listNode())).toEqual([
      'cluster1-node-1',
      'cluster1-node-2',
      'cluster1-node-3',
    ]);
  });
});

describe('get and list', () => {
  it('lists across all namespaces and cluster-scoped resources', async () => {
    expect((await core.listPodForAllNamespaces()).items).toHaveLength(10);
    const nodes = await core.listNode();
    expect(
      nodes.items.map(n => n.metadata?.labels?.['topology.kubernetes.io/zone']),
    ).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1a']);
    expect(names(await core.listNamespace())).toEqual([
      'default',
      'global-svc',
      'istio-system',
      'kube-system',
      'payments',
    ]);
  });

  it('filters with label selectors (=, !=, in, notin, exists, !exists)', async () => {
    const pods = (
      labelSelector: string,
      namespace = 'global-svc',
      api = core,
    ) =>
      api
        .listNamespacedPod({ namespace, labelSelector })
        .then(l => l.items.length);
    expect(await pods('app=product')).toBe(3);
    expect(await pods('app==product')).toBe(3);
    expect(await pods('app!=product')).toBe(4);
    expect(await pods('app in (product,storefront)')).toBe(5);
    expect(await pods('app notin (product, storefront)')).toBe(2);
    expect(await pods('app=product,version=v1')).toBe(3);
    const c2 = coreApi(sim, 'cluster2');
    expect(await pods('security.istio.io/tlsMode', 'global-svc', c2)).toBe(3);
    expect(await pods('!security.istio.io/tlsMode', 'global-svc', c2)).toBe(1);
    expect(
      await pods(
        'backstage.io/kubernetes-id=product-service,!security.istio.io/tlsMode',
        'global-svc',
        c2,
      ),
    ).toBe(1);
    const bad = await apiError(
      core.listNamespacedPod({
        namespace: 'global-svc',
        labelSelector: 'app in (',
      }),
    );
    expect(bad.code).toBe(400);
  });

  it('filters with field selectors (metadata.name, metadata.namespace, status.phase, spec.nodeName)', async () => {
    const all = (fieldSelector: string) =>
      core.listPodForAllNamespaces({ fieldSelector }).then(l => l.items.length);
    expect(await all('metadata.namespace=istio-system')).toBe(2);
    expect(await all('metadata.namespace!=istio-system')).toBe(8);
    expect(await all('status.phase=Running')).toBe(10);
    expect(await all('status.phase!=Running')).toBe(0);
    expect(
      await all('spec.nodeName=cluster1-node-1,metadata.namespace=global-svc'),
    ).toBe(2);
    const byName = await core.listNamespace({
      fieldSelector: 'metadata.name=payments',
    });
    expect(names(byName)).toEqual(['payments']);
    const unsupported = await apiError(
      core.listPodForAllNamespaces({ fieldSelector: 'spec.containers=x' }),
    );
    expect(unsupported.code).toBe(400);
    expect(unsupported.status.message).toBe(
      'field label not supported: spec.containers',
    );
  });

  it('pages with limit and continue', async () => {
    const seen: string[] = [];
    const remaining: Array<number | undefined> = [];
    let token: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({
        limit: 3,
        _continue: token,
      });
      seen.push(
        ...page.items.map(p => `${p.metadata?.namespace}/${p.metadata?.name}`),
      );
      remaining.push(page.metadata?.remainingItemCount);
      token = page.metadata?._continue;
    } while (token);
    expect(remaining).toEqual([7, 4, 1, undefined]);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    const bad = await apiError(
      core.listPodForAllNamespaces({ limit: 3, _continue: 'garbage' }),
    );
    expect(bad.code).toBe(400);
  });

  it('gets one object, and answers 404 NotFound for a missing one', async () => {
    const svc = await core.readNamespacedService({
      name: 'product-service',
      namespace: 'global-svc',
    });
    expect(svc.spec?.ports?.[0]).toMatchObject({
      name: 'http',
      port: 80,
      targetPort: 8080,
    });
    expect(svc.metadata?.resourceVersion).toMatch(/^\d+$/);
    const missing = await apiError(
      core.readNamespacedService({ name: 'nope', namespace: 'global-svc' }),
    );
    expect(missing.code).toBe(404);
    expect(missing.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'services "nope" not found',
      details: { name: 'nope', kind: 'services' },
    });
  });

  it('keeps the status given in the manifests', async () => {
    const gw = await core.readNamespacedService({
      name: 'istio-eastwestgateway',
      namespace: 'istio-system',
    });
    expect(gw.status?.loadBalancer?.ingress).toEqual([{ ip: '192.0.2.11' }]);
    const gw3 = await coreApi(sim, 'cluster3').readNamespacedService({
      name: 'istio-eastwestgateway',
      namespace: 'istio-system',
    });
    expect(gw3.status?.loadBalancer).toEqual({});
  });
});

describe('writes', () => {
  const cm = (
    name: string,
    data: Record<string, string> = { a: '1' },
  ): k8s.V1ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default' },
    data,
  });

  it('creates, and answers 409 AlreadyExists for an existing name', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('created'),
    });
    expect(created.metadata).toMatchObject({
      name: 'created',
      namespace: 'default',
      uid: expect.any(String),
      resourceVersion: expect.any(String),
      creationTimestamp: expect.any(Date),
    });
    const again = await apiError(
      core.createNamespacedConfigMap({
        namespace: 'default',
        body: cm('created'),
      }),
    );
    expect(again.code).toBe(409);
    expect(again.status).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "created" already exists',
    });
    const mismatch = await apiError(
      core.createNamespacedConfigMap({ namespace: 'payments', body: cm('x') }),
    );
    expect(mismatch.code).toBe(400);
    const noNamespace = await apiError(
      core.createNamespacedConfigMap({
        namespace: 'nowhere',
        body: { metadata: { name: 'x' } },
      }),
    );
    expect(noNamespace.code).toBe(404);
    expect(noNamespace.status.message).toBe('namespaces "nowhere" not found');
  });

  it('answers 422 Invalid for names that are not DNS-1123', async () => {
    const bad = await apiError(
      core.createNamespace({ body: { metadata: { name: 'Bad_Name' } } }),
    );
    expect(bad.code).toBe(422);
    expect(bad.status.reason).toBe('Invalid');
    expect(bad.status.message).toMatch(
      /^Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/,
    );
    expect(bad.status.details.causes[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
    });
    const label = await apiError(
      core.createNamespacedConfigMap({
        namespace: 'default',
        body: {
          ...cm('ok'),
          metadata: { name: 'ok', labels: { 'bad key!': 'x' } },
        },
      }),
    );
    expect(label.code).toBe(422);
  });

  it('updates with PUT, and answers 409 Conflict for a stale resourceVersion', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('updated'),
    });
    const fresh = await core.replaceNamespacedConfigMap({
      name: 'updated',
      namespace: 'default',
      body: { ...created, data: { a: '2' } },
    });
    expect(fresh.data).toEqual({ a: '2' });
    expect(Number(fresh.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    expect(fresh.metadata?.uid).toBe(created.metadata?.uid);
    const stale = await apiError(
      core.replaceNamespacedConfigMap({
        name: 'updated',
        namespace: 'default',
        body: { ...created, data: { a: '3' } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "updated": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('patches with JSON merge patch, strategic merge patch and JSON patch', async () => {
    const merged = await core.patchNamespace(
      {
        name: 'default',
        body: { metadata: { labels: { team: 'mesh', gone: 'soon' } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({
      'kubernetes.io/metadata.name': 'default',
      team: 'mesh',
      gone: 'soon',
    });
    const strategic = await core.patchNamespace(
      {
        name: 'default',
        body: {
          metadata: {
            labels: { gone: null, extra: 'yes' },
            annotations: { note: 'hi' },
          },
        },
      },
      k8s.setHeaderOptions(
        'Content-Type',
        k8s.PatchStrategy.StrategicMergePatch,
      ),
    );
    expect(strategic.metadata?.labels).toEqual({
      'kubernetes.io/metadata.name': 'default',
      team: 'mesh',
      extra: 'yes',
    });
    expect(strategic.metadata?.annotations).toEqual({ note: 'hi' });

    // strategic merge of a list with a merge key: containers merge by name
    const apps = kubeConfig(sim, 'cluster1').makeApiClient(k8s.AppsV1Api);
    const deploy = await apps.patchNamespacedDeployment(
      {
        name: 'storefront',
        namespace: 'global-svc',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'app', image: 'storefront:2' }] },
            },
          },
        },
      },
      k8s.setHeaderOptions(
        'Content-Type',
        k8s.PatchStrategy.StrategicMergePatch,
      ),
    );
    expect(deploy.spec?.template.spec?.containers).toEqual([
      expect.objectContaining({
        name: 'app',
        image: 'storefront:2',
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
      }),
    ]);
    expect(deploy.metadata?.generation).toBe(2);

    const jsonPatched = await core.patchNamespace(
      {
        name: 'default',
        body: [
          { op: 'test', path: '/metadata/labels/team', value: 'mesh' },
          { op: 'replace', path: '/metadata/labels/team', value: 'platform' },
          { op: 'remove', path: '/metadata/labels/extra' },
        ],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.metadata?.labels).toEqual({
      'kubernetes.io/metadata.name': 'default',
      team: 'platform',
    });
    const failedTest = await apiError(
      core.patchNamespace(
        {
          name: 'default',
          body: [{ op: 'test', path: '/metadata/labels/team', value: 'mesh' }],
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
      ),
    );
    expect(failedTest.code).toBe(422);
    const invalidLabel = await apiError(
      core.patchNamespace(
        {
          name: 'default',
          body: { metadata: { labels: { team: 'not valid!' } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    expect(invalidLabel.code).toBe(422);
    const missing = await apiError(
      core.patchNamespace(
        { name: 'nope', body: { metadata: {} } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    expect(missing.code).toBe(404);
  });

  it('answers 409 to a patch that carries a stale resourceVersion', async () => {
    const ns = await core.readNamespace({ name: 'payments' });
    await core.patchNamespace(
      { name: 'payments', body: { metadata: { labels: { a: 'b' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const stale = await apiError(
      core.patchNamespace(
        {
          name: 'payments',
          body: {
            metadata: {
              resourceVersion: ns.metadata?.resourceVersion,
              labels: { c: 'd' },
            },
          },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
  });

  it('deletes', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('deleted'),
    });
    const status = await core.deleteNamespacedConfigMap({
      name: 'deleted',
      namespace: 'default',
    });
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'deleted', kind: 'configmaps' },
    });
    expect(
      (
        await apiError(
          core.readNamespacedConfigMap({
            name: 'deleted',
            namespace: 'default',
          }),
        )
      ).code,
    ).toBe(404);
    expect(
      (
        await apiError(
          core.deleteNamespacedConfigMap({
            name: 'deleted',
            namespace: 'default',
          }),
        )
      ).code,
    ).toBe(404);
  });

  it('does nothing on dryRun=All', async () => {
    const dry = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('dry'),
      dryRun: 'All',
    });
    expect(dry.metadata?.name).toBe('dry');
    expect(
      (
        await apiError(
          core.readNamespacedConfigMap({ name: 'dry', namespace: 'default' }),
        )
      ).code,
    ).toBe(404);
  });

  it('keeps status on writes to the main resource; /status writes only status', async () => {
    const objects = kubeConfig(sim, 'global').makeApiClient(
      k8s.CustomObjectsApi,
    );
    const ref = {
      group: 'asm.alauda.io',
      version: 'v1alpha1',
      namespace: 'cpaas-system',
      plural: 'servicemeshes',
      name: 'cluster3',
    };
    const sm: any = await objects.getNamespacedCustomObject(ref);
    const replaced: any = await objects.replaceNamespacedCustomObject({
      ...ref,
      body: { ...sm, status: { phase: 'Failed' } },
    });
    expect(replaced.status.desiredVersion).toBe('v4.0.21');
    const status: any = await objects.patchNamespacedCustomObjectStatus(
      { ...ref, body: { status: { version: 'v4.0.21' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(status.status).toMatchObject({
      version: 'v4.0.21',
      desiredVersion: 'v4.0.21',
      phase: 'Deployed',
    });
  });

  it('scales deployments through the /scale subresource', async () => {
    const apps = kubeConfig(sim, 'cluster2').makeApiClient(k8s.AppsV1Api);
    const scale = await apps.patchNamespacedDeploymentScale(
      {
        name: 'istiod-1-22',
        namespace: 'istio-system',
        body: { spec: { replicas: 0 } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 0 } });
    const istiod = await apps.readNamespacedDeployment({
      name: 'istiod-1-22',
      namespace: 'istio-system',
    });
    expect(istiod.spec?.replicas).toBe(0);
    expect(istiod.status?.readyReplicas).toBe(0);
  });
});

describe('custom resources', () => {
  it('serves CRD-backed resources at every served version', async () => {
    const objects = kubeConfig(sim, 'cluster3').makeApiClient(
      k8s.CustomObjectsApi,
    );
    for (const version of ['v1', 'v1beta1', 'v1alpha3']) {
      const list: any = await objects.listNamespacedCustomObject({
        group: 'networking.istio.io',
        version,
        namespace: 'global-svc',
        plural: 'destinationrules',
      });
      expect(list.kind).toBe('DestinationRuleList');
      expect(list.items[0].apiVersion).toBe(`networking.istio.io/${version}`);
      expect(
        list.items[0].spec.trafficPolicy.loadBalancer.localityLbSetting
          .distribute[0].to,
      ).toEqual({
        'us-east-1/us-east-1a/*': 60,
        'us-east-1/us-east-1b/*': 30,
        'eu-west-1/*': 10,
      });
    }
    const all: any = await objects.listClusterCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      plural: 'destinationrules',
    });
    expect(all.items.map((i: any) => i.metadata.name).sort()).toEqual([
      'global',
      'product-service',
    ]);
    const missing = await apiError(
      kubeConfig(sim, 'global')
        .makeApiClient(k8s.CustomObjectsApi)
        .listClusterCustomObject({
          group: 'networking.istio.io',
          version: 'v1',
          plural: 'destinationrules',
        }),
    );
    expect(missing.code).toBe(404);
  });

  it('answers 415 to a strategic merge patch of a custom resource, as the API server does', async () => {
    const res = await raw(
      sim,
      'cluster1',
      '/apis/networking.istio.io/v1/namespaces/global-svc/destinationrules/product-service',
      {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
        body: JSON.stringify({ metadata: { labels: { a: 'b' } } }),
      },
    );
    expect(res.status).toBe(415);
    expect(res.body.reason).toBe('UnsupportedMediaType');
  });

  it('serves the resources of a CRD created at run time', async () => {
    const ext = kubeConfig(sim, 'cluster1').makeApiClient(
      k8s.ApiextensionsV1Api,
    );
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Cluster',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  x_kubernetes_preserve_unknown_fields: true,
                },
              },
            },
          ],
        },
      },
    });
    const objects = kubeConfig(sim, 'cluster1').makeApiClient(
      k8s.CustomObjectsApi,
    );
    await objects.createClusterCustomObject({
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { size: 3 },
      },
    });
    const list: any = await objects.listClusterCustomObject({
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
    });
    expect(list.items.map((i: any) => i.spec.size)).toEqual([3]);
    expect(
      (await raw(sim, 'cluster1', '/apis/example.com/v1')).body.resources[0],
    ).toMatchObject({ name: 'widgets', namespaced: false });
    await ext.deleteCustomResourceDefinition({ name: 'widgets.example.com' });
    expect(
      (await raw(sim, 'cluster1', '/apis/example.com/v1/widgets')).status,
    ).toBe(404);
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED events from a resourceVersion', async () => {
    const list = await core.listNamespacedConfigMap({
      namespace: 'kube-system',
    });
    const events: Array<[string, string | undefined]> = [];
    let resolveDone: () => void;
    const done = new Promise<void>(resolve => {
      resolveDone = resolve;
    });
    const watch = new k8s.Watch(kubeConfig(sim, 'cluster1'));
    const controller = await watch.watch(
      '/api/v1/namespaces/kube-system/configmaps',
      { resourceVersion: list.metadata?.resourceVersion },
      (type, obj) => {
        events.push([type, obj.data?.v]);
        if (type === 'DELETED') resolveDone();
      },
      () => undefined,
    );
    const body = { metadata: { name: 'watched' }, data: { v: '1' } };
    await core.createNamespacedConfigMap({ namespace: 'kube-system', body });
    await core.patchNamespacedConfigMap(
      { name: 'watched', namespace: 'kube-system', body: { data: { v: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({
      name: 'watched',
      namespace: 'kube-system',
    });
    await done;
    controller.abort();
    expect(events).toEqual([
      ['ADDED', '1'],
      ['MODIFIED', '2'],
      ['DELETED', '2'],
    ]);
  });

  it('starts with ADDED events for existing objects without a resourceVersion, honouring selectors', async () => {
    const res = await raw(
      sim,
      'cluster1',
      '/api/v1/namespaces/global-svc/pods?watch=1&labelSelector=app%3Dproduct&timeoutSeconds=1',
    );
    const lines = res.text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(
      lines.every(l => l.type === 'ADDED' && l.object.kind === 'Pod'),
    ).toBe(true);
  });

  it('answers a watch from a compacted resourceVersion with an ERROR event 410 Expired', async () => {
    const res = await raw(
      sim,
      'cluster1',
      '/api/v1/pods?watch=true&resourceVersion=1',
    );
    expect(JSON.parse(res.text.trim())).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });
});

describe('representations', () => {
  const metadataList =
    'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

  it('lists secrets metadata-only: no data leaves the server', async () => {
    const res = await raw(
      sim,
      'cluster1',
      '/api/v1/namespaces/istio-system/secrets?labelSelector=istio%2FmultiCluster%3Dtrue',
      { headers: { Accept: metadataList } },
    );
    expect(res.body.kind).toBe('PartialObjectMetadataList');
    expect(res.body.apiVersion).toBe('meta.k8s.io/v1');
    expect(
      res.body.items
        .map((i: any) => i.metadata.annotations['networking.istio.io/cluster'])
        .sort(),
    ).toEqual(['cluster2', 'cluster3']);
    for (const item of res.body.items)
      expect(Object.keys(item).sort()).toEqual([
        'apiVersion',
        'kind',
        'metadata',
      ]);
    expect(res.text).not.toContain('fake-remote-token');
    expect(res.text).not.toContain(
      Buffer.from('fake-remote-token').toString('base64').slice(0, 12),
    );

    const one = await raw(
      sim,
      'cluster1',
      '/api/v1/namespaces/istio-system/secrets/istio-remote-secret-cluster2',
      {
        headers: {
          Accept:
            'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
        },
      },
    );
    expect(one.body).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({
        name: 'istio-remote-secret-cluster2',
      }),
    });

    const log = sim
      .requestLog('cluster1')
      .filter(e => e.resource === 'secrets');
    expect(log.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v1/namespaces/istio-system/secrets/istio-remote-secret-cluster2',
      accept: expect.stringContaining('as=PartialObjectMetadata'),
    });
  });

  it('serves stringData of Secret manifests as base64 data, as the API server stores it', async () => {
    const secret = await core.readNamespacedSecret({
      name: 'istio-remote-secret-cluster2',
      namespace: 'istio-system',
    });
    expect(secret.stringData).toBeUndefined();
    expect(Buffer.from(secret.data!.cluster2, 'base64').toString()).toContain(
      'token: fake-remote-token-cluster2',
    );
  });

  it('serves Tables for kubectl', async () => {
    const res = await raw(
      sim,
      'cluster1',
      '/api/v1/namespaces/istio-system/services',
      {
        headers: {
          Accept:
            'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
        },
      },
    );
    expect(res.body.kind).toBe('Table');
    expect(res.body.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector',
    ]);
    expect(res.body.rows[0].cells.slice(0, 5)).toEqual([
      'istio-eastwestgateway',
      'LoadBalancer',
      '10.96.0.21',
      '192.0.2.11',
      '15021/TCP,15443/TCP,15012/TCP,15017/TCP',
    ]);
    expect(res.body.rows[0].object.kind).toBe('PartialObjectMetadata');
  });

  it('answers 406 when it can produce nothing the client accepts', async () => {
    const res = await raw(sim, 'cluster1', '/api/v1/pods', {
      headers: { Accept: 'application/vnd.kubernetes.protobuf' },
    });
    expect(res.status).toBe(406);
  });
});

describe('authentication and accounting', () => {
  it('answers 401 for a wrong or missing token', async () => {
    expect(
      (
        await apiError(
          coreApi(sim, 'cluster1', { token: 'wrong' }).listNamespace(),
        )
      ).code,
    ).toBe(401);
    const wrong = await raw(sim, 'cluster1', '/api/v1/namespaces', {
      token: 'wrong',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Unauthorized',
      message: 'Unauthorized',
      code: 401,
    });
    expect(
      (
        await apiError(
          coreApi(sim, 'cluster1', { token: null }).listNamespace(),
        )
      ).code,
    ).toBe(401);
    expect(
      (await raw(sim, 'cluster1', '/version', { token: 'wrong' })).status,
    ).toBe(401);
    expect(
      (
        await apiError(
          coreApi(sim, 'cluster1', {
            token: cluster(sim, 'cluster2').token,
          }).listNamespace(),
        )
      ).code,
    ).toBe(401);
  });

  it('answers SelfSubjectAccessReviews', async () => {
    const authz = kubeConfig(sim, 'cluster1').makeApiClient(
      k8s.AuthorizationV1Api,
    );
    const review = await authz.createSelfSubjectAccessReview({
      body: {
        spec: { resourceAttributes: { verb: 'list', resource: 'secrets' } },
      },
    });
    expect(review.status?.allowed).toBe(true);
  });

  it('counts requests per cluster by verb and resource', async () => {
    sim.resetRequestCounts();
    const c3 = coreApi(sim, 'cluster3');
    await c3.listPodForAllNamespaces();
    await c3.listNamespacedPod({ namespace: 'global-svc' });
    await c3.readNamespace({ name: 'payments' });
    await raw(sim, 'cluster3', '/apis');
    expect(sim.requestStats('cluster3')).toEqual({
      requests: 4,
      bytes: expect.any(Number),
      watchBytes: 0,
      byResource: { 'list pods': 2, 'get namespaces': 1, 'get /apis': 1 },
    });
    expect(sim.requestCount('cluster3')).toBe(4);
    expect(sim.requestCount()).toBe(4);
    const admin = await raw(sim, 'cluster3', '/_sim/stats');
    expect(admin.body).toEqual({
      requests: 4,
      bytes: sim.requestStats('cluster3').bytes,
      watchBytes: 0,
      byResource: { 'list pods': 2, 'get namespaces': 1, 'get /apis': 1 },
    });
    await raw(sim, 'cluster3', '/_sim/stats/reset', { method: 'POST' });
    expect(sim.requestCount('cluster3')).toBe(0);
  });
});
