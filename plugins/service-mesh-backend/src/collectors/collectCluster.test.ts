import {
  demoManagement,
  demoMember,
  emptyMember,
  FakeCluster,
} from '../__testUtils__/fakeCluster';
import {
  customResource,
  service,
  TEST_ROOT_CERT_FINGERPRINT,
} from '../__testUtils__/objects';
import { KubeApiError } from '@internal/plugin-service-mesh-node';
import {
  ClusterReadError,
  collectCluster,
  mapClusterData,
} from './collectCluster';

const member = { role: 'member' as const, readServiceMeshes: false };

describe('collectCluster', () => {
  it('reads a member cluster with one paginated list per resource', async () => {
    const cluster = demoMember('cluster1', 'region1', 'network1', ['cluster2']);
    const data = await collectCluster(cluster.client(), member);

    expect(data.controlPlanes).toEqual([
      expect.objectContaining({
        revision: '1-22',
        version: '1.22.4',
        readyReplicas: 1,
      }),
    ]);
    expect(data.meshConfigs).toEqual([
      expect.objectContaining({ revision: '1-22', meshId: 'mesh1' }),
    ]);
    expect(data.systemNamespaceNetwork).toBe('network1');
    expect(data.eastWestGateways).toEqual([
      expect.objectContaining({
        network: 'network1',
        readyReplicas: 2,
        desiredReplicas: 2,
      }),
    ]);
    expect(data.gateways).toHaveLength(1);
    expect(data.remoteSecrets).toEqual([
      {
        namespace: 'istio-system',
        name: 'istio-remote-secret-cluster2',
        cluster: 'cluster2',
      },
    ]);
    expect(data.rootCA?.fingerprint).toBe(TEST_ROOT_CERT_FINGERPRINT);
    expect(data.nodes.byLocality).toHaveLength(2);
    expect(data.services.map(s => s.name)).toEqual(['product']);
    expect(
      data.services[0].endpoints.map(e => [e.locality.zone, e.ready]),
    ).toEqual([
      ['region1-a', 1],
      ['region1-b', 1],
    ]);
    // istio-system pods are not mesh workloads.
    expect(data.workloads).toEqual([
      expect.objectContaining({
        name: 'product',
        kind: 'Deployment',
        pods: 2,
        podsWithSidecar: 2,
      }),
    ]);
    expect(data.destinationRules).toHaveLength(1);
    expect(data.peerAuthentications).toHaveLength(1);
    expect(data.partialErrors).toEqual([]);
    expect(data.malformedObjects).toEqual([]);

    // Cluster-wide lists, one each, and secrets as metadata only.
    const paths = cluster.requests.map(r => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).not.toContain('/apis/asm.alauda.io/v1alpha1/servicemeshes');
    const secrets = cluster.requests.filter(r => r.path.endsWith('/secrets'));
    expect(secrets).toEqual([
      {
        path: '/api/v1/namespaces/istio-system/secrets',
        options: {
          labelSelector: 'istio/multiCluster=true',
          metadataOnly: true,
        },
      },
    ]);
  });

  it('reads only ServiceMesh resources on the management cluster, redacted', async () => {
    const cluster = demoManagement('global', ['cluster1']);
    const data = await collectCluster(cluster.client(), {
      role: 'management',
      readServiceMeshes: true,
    });
    expect(cluster.requests.map(r => r.path)).toEqual([
      '/apis/asm.alauda.io/v1alpha1/servicemeshes',
    ]);
    expect(data.serviceMeshes).toEqual([
      expect.objectContaining({
        cluster: 'cluster1',
        phase: 'Deployed',
        meshGroup: 'mesh-demo',
      }),
    ]);
    expect(JSON.stringify(data)).not.toContain(
      'demo-redis-PASSWORD-do-not-leak',
    );
  });

  it('treats a missing CRD as not installed and falls back to older Istio API versions', async () => {
    const cluster = emptyMember('upstream');
    cluster.lists.delete('/apis/networking.istio.io/v1/destinationrules');
    cluster.set('/apis/networking.istio.io/v1alpha3/destinationrules', [
      customResource(
        'networking.istio.io/v1alpha3',
        'DestinationRule',
        'old',
        'demo',
        { host: 'old' },
      ),
    ]);
    cluster.lists.delete('/apis/security.istio.io/v1/peerauthentications');
    const data = await collectCluster(cluster.client(), {
      role: 'member',
      readServiceMeshes: true,
    });
    expect(data.serviceMeshes).toEqual([]);
    expect(data.destinationRules.map(d => d.name)).toEqual(['old']);
    expect(data.peerAuthentications).toEqual([]);
    expect(cluster.requests.map(r => r.path)).toEqual(
      expect.arrayContaining([
        '/apis/networking.istio.io/v1/destinationrules',
        '/apis/networking.istio.io/v1beta1/destinationrules',
        '/apis/networking.istio.io/v1alpha3/destinationrules',
        '/apis/security.istio.io/v1beta1/peerauthentications',
      ]),
    );
  });

  it('keeps collecting when one resource is forbidden, naming the RBAC rule', async () => {
    const cluster = demoMember('cluster1', 'region1', 'network1', []);
    cluster.faults = { forbidden: ['destinationrules'] };
    const data = await collectCluster(cluster.client(), member);
    expect(data.services).toHaveLength(1);
    expect(data.destinationRules).toEqual([]);
    expect(data.partialErrors).toEqual([
      {
        code: 'MESH092',
        message: expect.stringContaining(
          'destinationrules.networking.istio.io',
        ),
        resource: 'destinationrules.networking.istio.io',
        rbacRule:
          '{apiGroups: ["networking.istio.io"], resources: ["destinationrules"], verbs: ["list", "watch"]} (ClusterRole)',
      },
    ]);
  });

  it('reads AuthorizationPolicies, Sidecars and ServiceEntries; a 403 on one is MESH092 with its rule, the others stay', async () => {
    const cluster = demoMember('cluster1', 'region1', 'network1', []);
    cluster.set('/apis/security.istio.io/v1/authorizationpolicies', [
      customResource(
        'security.istio.io/v1',
        'AuthorizationPolicy',
        'allow-storefront',
        'demo',
        {
          selector: { matchLabels: { app: 'product' } },
          action: 'ALLOW',
          rules: [
            {
              from: [
                {
                  source: {
                    principals: ['cluster.local/ns/demo/sa/storefront'],
                  },
                },
              ],
            },
          ],
        },
      ),
    ]);
    cluster.set('/apis/networking.istio.io/v1/sidecars', [
      customResource('networking.istio.io/v1', 'Sidecar', 'default', 'demo', {
        egress: [{ hosts: ['./*', 'istio-system/*'] }],
      }),
    ]);
    cluster.set('/apis/networking.istio.io/v1/serviceentries', [
      customResource(
        'networking.istio.io/v1',
        'ServiceEntry',
        'legacy',
        'demo',
        {
          hosts: ['legacy.demo.internal'],
          location: 'MESH_INTERNAL',
          resolution: 'STATIC',
          endpoints: [{ address: '10.1.2.3' }],
        },
      ),
    ]);
    const data = await collectCluster(cluster.client(), member);
    expect(data.authorizationPolicies.map(p => [p.kind, p.name])).toEqual([
      ['AuthorizationPolicy', 'allow-storefront'],
    ]);
    expect(data.sidecars.map(p => p.name)).toEqual(['default']);
    expect(data.serviceEntries[0].spec).toMatchObject({
      location: 'MESH_INTERNAL',
    });

    cluster.faults = { forbidden: ['authorizationpolicies'] };
    const partial = await collectCluster(cluster.client(), member);
    expect(partial.authorizationPolicies).toEqual([]);
    expect(partial.sidecars).toHaveLength(1);
    expect(partial.partialErrors).toEqual([
      expect.objectContaining({
        code: 'MESH092',
        resource: 'authorizationpolicies.security.istio.io',
        rbacRule:
          '{apiGroups: ["security.istio.io"], resources: ["authorizationpolicies"], verbs: ["list", "watch"]} (ClusterRole)',
      }),
    ]);
  });

  it('fails the cluster as a whole on 401, on no answer, or when everything essential is forbidden', async () => {
    const cluster = demoMember('cluster1', 'region1', 'network1', []);
    cluster.faults = { unauthorized: true };
    await expect(
      collectCluster(cluster.client(), member),
    ).rejects.toMatchObject({
      status: 'unauthorized',
      error: { code: 'MESH091' },
    });
    cluster.faults = { down: true };
    await expect(
      collectCluster(cluster.client(), member),
    ).rejects.toMatchObject({
      status: 'unreachable',
      error: { code: 'MESH090' },
    });
    cluster.faults = {
      forbidden: [
        'namespaces',
        'nodes',
        'services',
        'pods',
        'endpointslices',
        'deployments',
      ],
    };
    const error = await collectCluster(cluster.client(), member).catch(e => e);
    expect(error).toBeInstanceOf(ClusterReadError);
    expect(error).toMatchObject({
      status: 'error',
      error: { code: 'MESH092', rbacRule: expect.stringContaining('pods') },
    });
  });

  it('skips malformed objects and records them without losing the rest', () => {
    const data = mapClusterData({
      serviceMeshes: [],
      deployments: [
        {
          metadata: { name: 'x', namespace: 'demo' },
          spec: { replicas: 'two' },
        },
      ],
      istioConfigMaps: [],
      namespaces: [
        {
          metadata: { name: 'demo', labels: { 'istio-injection': 'enabled' } },
        },
        'garbage',
      ],
      services: [
        service('good', 'demo'),
        service('bad', 'demo', { ports: { port: 80 } }),
        { metadata: { name: 'worse', namespace: 'demo' }, spec: null },
      ],
      gateways: [],
      remoteSecrets: [],
      tagWebhooks: [],
      nodes: [null],
      pods: [],
      endpointSlices: [],
      destinationRules: [],
      virtualServices: [
        { metadata: { name: 'vs', namespace: 'demo' }, spec: [] },
      ],
      peerAuthentications: [],
      authorizationPolicies: [],
      sidecars: [],
      serviceEntries: [],
    });
    expect(data.services.map(s => s.name)).toEqual(['good', 'worse']);
    expect(data.malformedObjects).toEqual(
      expect.arrayContaining([
        { kind: 'Namespace', reason: 'not an object' },
        {
          kind: 'Service',
          namespace: 'demo',
          name: 'bad',
          reason: 'spec.ports is not an array',
        },
        { kind: 'Node', reason: 'not an object' },
        {
          kind: 'VirtualService',
          namespace: 'demo',
          name: 'vs',
          reason: 'spec is not an object',
        },
      ]),
    );
  });
});

describe('collectCluster, streaming', () => {
  it('gives the same data when lists arrive one object per page', async () => {
    const cluster = demoMember('cluster1', 'region1', 'network1', ['cluster2']);
    const whole = await collectCluster(cluster.client(), member);
    const client = cluster.client();
    const paged = await collectCluster(
      {
        ...client,
        listPages: async (path, options, onPage) => {
          for (const item of await client.list(path, options)) onPage([item]);
        },
      },
      member,
    );
    expect(paged).toEqual(whole);
    expect(paged.services.length).toBeGreaterThan(0);
    expect(paged.workloads.length).toBeGreaterThan(0);
  });

  it('keeps nothing of a list that fails part-way', async () => {
    const cluster = demoMember('cluster1', 'region1', 'network1', ['cluster2']);
    const client = cluster.client();
    const data = await collectCluster(
      {
        ...client,
        listPages: async (path, options, onPage) => {
          const items = await client.list(path, options);
          if (path !== '/api/v1/pods') {
            onPage(items);
            return;
          }
          onPage(items.slice(0, 1));
          throw new KubeApiError(`GET ${path}: 403 forbidden`, {
            path,
            statusCode: 403,
            reason: 'Forbidden',
          });
        },
      },
      member,
    );
    expect(data.workloads).toEqual([]);
    expect(data.partialErrors).toEqual([
      expect.objectContaining({ code: 'MESH092', resource: 'pods' }),
    ]);
  });

  it('shares equal values across clusters and freezes them', async () => {
    const a = await collectCluster(
      demoMember('cluster1', 'region1', 'network1', ['cluster2']).client(),
      member,
    );
    const b = await collectCluster(
      demoMember('cluster2', 'region2', 'network2', ['cluster1']).client(),
      member,
    );
    expect(b.destinationRules[0]).toBe(a.destinationRules[0]);
    expect(b.services[0].ports).toBe(a.services[0].ports);
    expect(b.services[0].labels).toBe(a.services[0].labels);
    expect(Object.isFrozen(a.services[0].labels)).toBe(true);
    expect(Object.isFrozen(a.destinationRules[0].spec)).toBe(true);
  });
});

describe('FakeCluster', () => {
  it('answers 404 for unknown paths', async () => {
    await expect(
      new FakeCluster('x').client().list('/api/v1/nothing'),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});
