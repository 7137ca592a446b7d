/*
 * The shape of the demo scenario (packages/kube-sim/scenarios/demo) as the backend's collectors turn it into a
 * snapshot: three business clusters on three networks plus the `global` management cluster, with exactly six
 * deliberate problems (MESH001, 010, 032, 052, 062, 063). Kept in step with the scenario by hand.
 */
import type { ClusterMeshData, MeshSnapshot } from '../types/snapshot';
import {
  eastWestGateway,
  emptyData,
  healthyMesh,
  meshNamespace,
  policy,
  service,
  workload,
} from './fixtures';

const OD = {
  consecutive5xxErrors: 1,
  interval: '10s',
  baseEjectionTime: '600s',
  maxEjectionPercent: 100,
};

const distribute = (a: number, b: number, c: number) => ({
  host: 'product-service.global-svc.svc.cluster.local',
  trafficPolicy: {
    loadBalancer: {
      localityLbSetting: {
        enabled: true,
        distribute: [
          {
            from: 'us-east-1/*',
            to: {
              'us-east-1/us-east-1a/*': a,
              'us-east-1/us-east-1b/*': b,
              'eu-west-1/*': c,
            },
          },
        ],
      },
    },
    outlierDetection: OD,
  },
});

const GLOBAL_DR = {
  host: '*.cluster.local',
  trafficPolicy: {
    loadBalancer: {
      localityLbSetting: {
        enabled: true,
        failover: [{ from: 'us-east-1', to: 'eu-west-1' }],
      },
    },
    outlierDetection: OD,
  },
};

const STOREFRONT_VS = {
  hosts: ['storefront.global-svc.svc.cluster.local'],
  http: [
    {
      route: [
        {
          destination: {
            host: 'storefront.global-svc.svc.cluster.local',
            port: { number: 80 },
          },
        },
      ],
    },
  ],
};

function svc(
  namespace: string,
  name: string,
  app: string,
  port: number,
  portName: string,
  endpoints: Parameters<typeof service>[2],
) {
  const s = service(namespace, name, endpoints);
  s.selector = { app };
  s.labels = { app };
  s.ports = [{ name: portName, port, targetPort: port, protocol: 'TCP' }];
  return s;
}

function wl(
  namespace: string,
  name: string,
  app: string,
  pods: number,
  withSidecar: number,
  localities: Array<[string, string, number]>,
) {
  const w = workload(namespace, name, pods, withSidecar);
  w.labels = { app };
  w.localities = localities.map(([region, zone, n]) => ({
    region,
    zone,
    pods: n,
  }));
  return w;
}

export function demoMesh(): MeshSnapshot {
  const base = healthyMesh([
    {
      name: 'cluster1',
      network: 'network1',
      region: 'us-east-1',
      zone: 'us-east-1a',
    },
    {
      name: 'cluster2',
      network: 'network2',
      region: 'us-east-1',
      zone: 'us-east-1b',
    },
    {
      name: 'cluster3',
      network: 'network3',
      region: 'eu-west-1',
      zone: 'eu-west-1a',
    },
  ]);
  const data = (name: string) =>
    base.clusters.find(c => c.name === name)!.data as ClusterMeshData;
  base.clusters[0].data = emptyData({
    serviceMeshes: base.clusters[0].data!.serviceMeshes,
  });
  // MESH001: cluster3's ServiceMesh is upgrading.
  base.clusters[0].data.serviceMeshes[2].desiredVersion = 'v4.0.21';

  for (const name of ['cluster1', 'cluster2', 'cluster3']) {
    const d = data(name);
    const network = base.clusters.find(c => c.name === name)!.network!;
    d.meshConfigs[0].meshId = 'multi-cluster-mesh';
    d.eastWestGateways = [eastWestGateway(network)];
    d.destinationRules = [
      policy(
        'DestinationRule',
        'istio-system',
        'global',
        structuredClone(GLOBAL_DR),
      ),
      policy(
        'DestinationRule',
        'global-svc',
        'product-service',
        distribute(70, 20, 10),
      ),
    ];
    d.virtualServices = [
      policy(
        'VirtualService',
        'global-svc',
        'storefront',
        structuredClone(STOREFRONT_VS),
      ),
    ];
    d.namespaces = [
      { name: 'default', labels: {}, onboarded: false },
      { name: 'kube-system', labels: {}, onboarded: false },
      {
        name: 'istio-system',
        labels: { 'topology.istio.io/network': network },
        onboarded: false,
      },
      meshNamespace('global-svc'),
      meshNamespace('payments'),
    ];
  }

  const c1 = data('cluster1');
  c1.services = [
    svc('global-svc', 'product-service', 'product', 80, 'http', [
      { region: 'us-east-1', zone: 'us-east-1a', ready: 3 },
    ]),
    svc('global-svc', 'storefront', 'storefront', 80, 'http', [
      { region: 'us-east-1', zone: 'us-east-1a', ready: 2 },
    ]),
    svc('global-svc', 'inventory', 'inventory', 8080, 'http', [
      { region: 'us-east-1', zone: 'us-east-1a', ready: 2 },
    ]),
    svc('payments', 'payments', 'payments', 8443, 'https', [
      { region: 'us-east-1', zone: 'us-east-1a', ready: 1 },
    ]),
  ];
  c1.workloads = [
    wl('global-svc', 'product-service', 'product', 3, 3, [
      ['us-east-1', 'us-east-1a', 3],
    ]),
    wl('global-svc', 'storefront', 'storefront', 2, 2, [
      ['us-east-1', 'us-east-1a', 2],
    ]),
    wl('global-svc', 'inventory', 'inventory', 2, 2, [
      ['us-east-1', 'us-east-1a', 2],
    ]),
    wl('payments', 'payments', 'payments', 1, 1, [
      ['us-east-1', 'us-east-1a', 1],
    ]),
  ];

  const c2 = data('cluster2');
  // MESH010: cluster2 has a remote secret for cluster1 only.
  c2.remoteSecrets = c2.remoteSecrets.filter(s => s.cluster === 'cluster1');
  c2.services = [
    svc('global-svc', 'product-service', 'product', 80, 'http', [
      { region: 'us-east-1', zone: 'us-east-1b', ready: 2 },
    ]),
    // Healthy part: a Service with no endpoints in this cluster is not MESH051.
    svc('global-svc', 'storefront', 'storefront', 80, 'http', []),
    svc('global-svc', 'inventory', 'inventory', 8080, 'http', [
      { region: 'us-east-1', zone: 'us-east-1b', ready: 2 },
    ]),
    svc('payments', 'payments', 'payments', 8443, 'https', [
      { region: 'us-east-1', zone: 'us-east-1b', ready: 1 },
    ]),
  ];
  c2.workloads = [
    // MESH063: one of the two product-service pods has no sidecar.
    wl('global-svc', 'product-service', 'product', 2, 1, [
      ['us-east-1', 'us-east-1b', 2],
    ]),
    wl('global-svc', 'inventory', 'inventory', 2, 2, [
      ['us-east-1', 'us-east-1b', 2],
    ]),
    wl('payments', 'payments', 'payments', 1, 1, [
      ['us-east-1', 'us-east-1b', 1],
    ]),
  ];

  const c3 = data('cluster3');
  // MESH032: the east-west gateway LoadBalancer has no address yet.
  c3.eastWestGateways[0].addresses = [];
  c3.nodes = {
    total: 3,
    byLocality: [
      { region: 'eu-west-1', zone: 'eu-west-1a', nodes: 2 },
      { region: 'eu-west-1', zone: 'eu-west-1b', nodes: 1 },
    ],
    unlabelled: [],
    unlabelledCount: 0,
  };
  // MESH052: cluster3's product-service DestinationRule has other weights.
  c3.destinationRules[1] = policy(
    'DestinationRule',
    'global-svc',
    'product-service',
    distribute(60, 30, 10),
  );
  // MESH062: payments exists in cluster3 but is not onboarded (its Service is still there).
  c3.namespaces[4] = { name: 'payments', labels: {}, onboarded: false };
  c3.services = [
    svc('global-svc', 'product-service', 'product', 80, 'http', [
      { region: 'eu-west-1', zone: 'eu-west-1a', ready: 1 },
      { region: 'eu-west-1', zone: 'eu-west-1b', ready: 1 },
    ]),
    svc('global-svc', 'storefront', 'storefront', 80, 'http', [
      { region: 'eu-west-1', zone: 'eu-west-1a', ready: 1 },
    ]),
    svc('global-svc', 'inventory', 'inventory', 8080, 'http', []),
    svc('payments', 'payments', 'payments', 8443, 'https', []),
  ];
  c3.workloads = [
    wl('global-svc', 'product-service', 'product', 2, 2, [
      ['eu-west-1', 'eu-west-1a', 1],
      ['eu-west-1', 'eu-west-1b', 1],
    ]),
    wl('global-svc', 'storefront', 'storefront', 1, 1, [
      ['eu-west-1', 'eu-west-1a', 1],
    ]),
  ];
  return base;
}
