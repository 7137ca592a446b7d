/*
 * An in-memory cluster behind the KubeClient interface, for unit tests of the collectors and the snapshot.
 */
import {
  KubeApiError,
  KubeClient,
  KubeListOptions,
  MeshCluster,
  MeshClusterList,
  ServiceMeshClustersService,
} from '@internal/plugin-service-mesh-node';
import {
  configMap,
  customResource,
  deployment,
  endpointSlice,
  namespace,
  node,
  pod,
  secretMetadata,
  service,
  TEST_ROOT_CERT,
} from './objects';

export interface FakeFaults {
  down?: boolean;
  unauthorized?: boolean;
  /** Resource plurals answered with 403. */
  forbidden?: string[];
  /** Delay of every request, honouring the abort signal. */
  latencyMs?: number;
}

export class FakeCluster {
  /** List path → items. */
  readonly lists = new Map<string, unknown[]>();
  faults: FakeFaults = {};
  readonly requests: Array<{ path: string; options?: KubeListOptions }> = [];
  /** Requests still running when their cluster read was abandoned (must be zero after an abort). */
  pending = 0;

  constructor(readonly name: string) {}

  set(path: string, items: unknown[]): this {
    this.lists.set(path, items);
    return this;
  }

  client(signal?: AbortSignal): KubeClient {
    return {
      list: async (path, options) => {
        this.requests.push({ path, options });
        this.pending++;
        try {
          await delay(this.faults.latencyMs ?? 0, signal, path);
          if (this.faults.down)
            throw new KubeApiError(`GET ${path}: connect ECONNREFUSED`, {
              path,
              code: 'ECONNREFUSED',
            });
          if (this.faults.unauthorized)
            throw new KubeApiError(`GET ${path}: 401 Unauthorized`, {
              path,
              statusCode: 401,
            });
          const plural = path.split('/').pop()!;
          if (this.faults.forbidden?.includes(plural)) {
            throw new KubeApiError(`GET ${path}: 403 forbidden`, {
              path,
              statusCode: 403,
              reason: 'Forbidden',
            });
          }
          const items = this.lists.get(path);
          if (!items)
            throw new KubeApiError(`GET ${path}: 404 not found`, {
              path,
              statusCode: 404,
              reason: 'NotFound',
            });
          return items;
        } finally {
          this.pending--;
        }
      },
      get: async path => {
        throw new KubeApiError(`GET ${path}: 404`, { path, statusCode: 404 });
      },
    };
  }
}

function delay(
  ms: number,
  signal: AbortSignal | undefined,
  path: string,
): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(
          new KubeApiError(`GET ${path}: aborted`, { path, code: 'ABORT_ERR' }),
        );
      },
      { once: true },
    );
  });
}

/** Cluster access over fake clusters: every added cluster is listed (the first named `global` is the management one). */
export class FakeClientFactory
  implements Pick<ServiceMeshClustersService, 'listClusters' | 'createClient'>
{
  readonly clusters = new Map<string, FakeCluster>();
  /** Per-cluster access problems to list (e.g. a client-side auth provider). */
  readonly problems = new Map<string, MeshCluster['problem']>();
  sourceErrors: MeshClusterList['sourceErrors'] = [];

  add(cluster: FakeCluster): this {
    this.clusters.set(cluster.name, cluster);
    return this;
  }

  async listClusters(): Promise<MeshClusterList> {
    return {
      clusters: this.configs(),
      managementCluster: this.clusters.has('global') ? 'global' : undefined,
      sourceErrors: this.sourceErrors,
    };
  }

  createClient(
    cluster: MeshCluster,
    options: { signal?: AbortSignal } = {},
  ): KubeClient {
    const fake = this.clusters.get(cluster.name);
    if (!fake) throw new Error(`unknown cluster ${cluster.name}`);
    return fake.client(options.signal);
  }

  configs(): MeshCluster[] {
    return [...this.clusters.keys()].map(name => {
      const problem = this.problems.get(name);
      return {
        name,
        url: `https://${name}.example.com`,
        authProvider: 'serviceAccount',
        source: 'config',
        role: name === 'global' ? 'management' : 'member',
        details: {
          name,
          url: `https://${name}.example.com`,
          authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount' },
        },
        ...(problem ? { problem } : {}),
      };
    });
  }
}

/** An empty member cluster: every list answers with no items (CRDs installed). */
export function emptyMember(name: string): FakeCluster {
  const cluster = new FakeCluster(name);
  for (const path of [
    '/apis/apps/v1/deployments',
    '/api/v1/namespaces/istio-system/configmaps',
    '/api/v1/namespaces',
    '/api/v1/services',
    '/apis/networking.istio.io/v1/gateways',
    '/api/v1/namespaces/istio-system/secrets',
    '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
    '/api/v1/nodes',
    '/api/v1/pods',
    '/apis/discovery.k8s.io/v1/endpointslices',
    '/apis/networking.istio.io/v1/destinationrules',
    '/apis/networking.istio.io/v1/virtualservices',
    '/apis/security.istio.io/v1/peerauthentications',
  ]) {
    cluster.set(path, []);
  }
  return cluster;
}

/**
 * A member of the demo mesh: istiod 1-22, an east-west gateway, remote secrets for its peers, two zones, and
 * product-service (labelled backstage.io/kubernetes-id) in the onboarded namespace `demo`.
 */
export function demoMember(
  name: string,
  region: string,
  network: string,
  peers: string[],
): FakeCluster {
  const ew = {
    istio: 'eastwestgateway',
    app: 'istio-eastwestgateway',
    'topology.istio.io/network': network,
  };
  const productLabels = {
    app: 'product',
    'backstage.io/kubernetes-id': 'product-service',
  };
  const rs = { kind: 'ReplicaSet', name: 'product-5f7c9d' };
  const podLabels = { ...productLabels, 'pod-template-hash': '5f7c9d' };
  return emptyMember(name)
    .set('/api/v1/namespaces', [
      namespace('istio-system', { 'topology.istio.io/network': network }),
      namespace('demo', {
        'cpaas.io/serviceMesh': 'enabled',
        'istio.io/rev': '1-22',
      }),
      namespace('kube-system'),
    ])
    .set('/api/v1/nodes', [
      node(`${name}-a`, region, `${region}-a`),
      node(`${name}-b`, region, `${region}-b`),
    ])
    .set('/apis/apps/v1/deployments', [
      deployment('istiod-1-22', 'istio-system', {
        labels: { app: 'istiod', 'istio.io/rev': '1-22' },
        image: 'docker.io/istio/pilot:1.22.4',
      }),
      deployment('istio-eastwestgateway', 'istio-system', {
        templateLabels: ew,
        replicas: 2,
        ready: 2,
      }),
      deployment('product', 'demo', {
        labels: productLabels,
        templateLabels: { app: 'product' },
        replicas: 2,
      }),
    ])
    .set('/api/v1/namespaces/istio-system/configmaps', [
      configMap('istio-1-22', 'istio-system', {
        mesh: 'trustDomain: cluster.local\ndefaultConfig:\n  meshId: mesh1\n',
      }),
      configMap('istio-ca-root-cert', 'istio-system', {
        'root-cert.pem': TEST_ROOT_CERT,
      }),
    ])
    .set('/api/v1/services', [
      service('istio-eastwestgateway', 'istio-system', {
        type: 'LoadBalancer',
        labels: ew,
        selector: { istio: 'eastwestgateway' },
        ports: [
          { name: 'tls', port: 15443 },
          { name: 'status-port', port: 15021 },
        ],
        lbIngress: [{ ip: `192.0.2.${peers.length + name.length}` }],
      }),
      service('product', 'demo', {
        labels: { 'backstage.io/kubernetes-id': 'product-service' },
        selector: { app: 'product' },
      }),
    ])
    .set('/api/v1/pods', [
      pod('product-5f7c9d-1', 'demo', {
        labels: podLabels,
        owner: rs,
        nodeName: `${name}-a`,
        sidecar: true,
      }),
      pod('product-5f7c9d-2', 'demo', {
        labels: podLabels,
        owner: rs,
        nodeName: `${name}-b`,
        sidecar: true,
      }),
      pod('istiod-1-22-x', 'istio-system', {
        labels: { app: 'istiod' },
        nodeName: `${name}-a`,
      }),
    ])
    .set('/apis/discovery.k8s.io/v1/endpointslices', [
      endpointSlice('product-x', 'demo', 'product', [
        { pod: 'product-5f7c9d-1', nodeName: `${name}-a` },
        { pod: 'product-5f7c9d-2', nodeName: `${name}-b` },
      ]),
    ])
    .set(
      '/api/v1/namespaces/istio-system/secrets',
      peers.map(peer =>
        secretMetadata(
          `istio-remote-secret-${peer}`,
          'istio-system',
          { 'istio/multiCluster': 'true' },
          { 'networking.istio.io/cluster': peer },
        ),
      ),
    )
    .set('/apis/networking.istio.io/v1/gateways', [
      customResource(
        'networking.istio.io/v1',
        'Gateway',
        'cross-network-gateway',
        'istio-system',
        {
          selector: { istio: 'eastwestgateway' },
          servers: [
            {
              port: { number: 15443, name: 'tls', protocol: 'TLS' },
              tls: { mode: 'AUTO_PASSTHROUGH' },
              hosts: ['*.local'],
            },
          ],
        },
      ),
    ])
    .set('/apis/networking.istio.io/v1/destinationrules', [
      customResource(
        'networking.istio.io/v1',
        'DestinationRule',
        'product',
        'demo',
        {
          host: 'product',
          trafficPolicy: {
            loadBalancer: {
              localityLbSetting: {
                enabled: true,
                failover: [{ from: 'region1', to: 'region2' }],
              },
            },
            outlierDetection: {
              consecutive5xxErrors: 1,
              interval: '10s',
              baseEjectionTime: '60s',
              maxEjectionPercent: 100,
            },
          },
        },
      ),
    ])
    .set('/apis/security.istio.io/v1/peerauthentications', [
      customResource(
        'security.istio.io/v1',
        'PeerAuthentication',
        'default',
        'istio-system',
        { mtls: { mode: 'STRICT' } },
      ),
    ]);
}

/** The management cluster: ServiceMesh resources only, one of them with a Redis password. */
export function demoManagement(name: string, members: string[]): FakeCluster {
  return new FakeCluster(name).set(
    '/apis/asm.alauda.io/v1alpha1/servicemeshes',
    members.map(member =>
      customResource(
        'asm.alauda.io/v1alpha1',
        'ServiceMesh',
        member,
        'cpaas-system',
        {
          cluster: member,
          istioVersion: '1.22.4',
          redis: { password: 'demo-redis-PASSWORD-do-not-leak' },
        },
        {
          labels: { 'asm.cpaas.io/meshgroup': 'mesh-demo' },
          status: {
            phase: 'Deployed',
            version: 'v4.0.20',
            desiredVersion: 'v4.0.20',
          },
        },
      ),
    ),
  );
}
