/*
 * Small snapshot factories for tests (internal: not exported from the package). `healthyMesh` builds a
 * multi-primary, multi-network mesh in which every check passes; tests break one thing at a time with `edit`.
 */
import type {
  ClusterMeshData,
  ClusterSnapshot,
  EastWestGateway,
  MeshNamespace,
  MeshService,
  MeshSnapshot,
  MeshWorkload,
  ServiceMeshResource,
} from '../types/snapshot';
import { MESH_SNAPSHOT_SCHEMA_VERSION } from '../types/snapshot';
import { emptyData, policy } from '../testUtils/meshData';

export { emptyData, policy };

export const ROOT_FINGERPRINT =
  'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99';
export const NOW = new Date('2026-06-01T00:00:00Z');

export function meshNamespace(name: string, revision = '1-22'): MeshNamespace {
  return {
    name,
    labels: { 'cpaas.io/serviceMesh': 'enabled', 'istio.io/rev': revision },
    onboarded: true,
    revision,
  };
}

export function service(
  namespace: string,
  name: string,
  endpoints: Array<{
    region: string;
    zone: string;
    ready?: number;
    notReady?: number;
  }>,
): MeshService {
  return {
    namespace,
    name,
    labels: { app: name },
    type: 'ClusterIP',
    selector: { app: name },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    headless: false,
    endpoints: endpoints.map(e => ({
      locality: { region: e.region, zone: e.zone },
      ready: e.ready ?? 2,
      notReady: e.notReady ?? 0,
    })),
  };
}

export function workload(
  namespace: string,
  name: string,
  pods: number,
  withSidecar = pods,
  locality = { region: 'region1', zone: 'zone1' },
): MeshWorkload {
  return {
    namespace,
    name,
    kind: 'Deployment',
    labels: { app: name, 'security.istio.io/tlsMode': 'istio' },
    pods,
    readyPods: pods,
    podsWithSidecar: withSidecar,
    podsOptedOut: 0,
    uninjected:
      pods > withSidecar
        ? [
            {
              pods: pods - withSidecar,
              hostNetwork: false,
              labels: { app: name },
            },
          ]
        : [],
    localities: [{ ...locality, pods }],
  };
}

export const FAILOVER_DR_SPEC = {
  host: 'product-service.global-svc.svc.cluster.local',
  trafficPolicy: {
    loadBalancer: {
      localityLbSetting: {
        enabled: true,
        failover: [{ from: 'region1', to: 'region2' }],
      },
    },
    outlierDetection: {
      baseEjectionTime: '600s',
      consecutive5xxErrors: 1,
      interval: '10s',
      maxEjectionPercent: 100,
    },
  },
};

export function eastWestGateway(
  network: string,
  overrides: Partial<EastWestGateway> = {},
): EastWestGateway {
  return {
    namespace: 'istio-system',
    name: 'istio-eastwestgateway',
    deployment: 'istio-eastwestgateway',
    network,
    serviceType: 'LoadBalancer',
    addresses: ['10.0.0.1'],
    ports: [
      { name: 'status-port', port: 15021 },
      { name: 'tls', port: 15443 },
      { name: 'tls-istiod', port: 15012 },
      { name: 'tls-webhook', port: 15017 },
    ],
    desiredReplicas: 1,
    readyReplicas: 1,
    podLabels: {
      istio: 'eastwestgateway',
      app: 'istio-eastwestgateway',
      'topology.istio.io/network': network,
    },
    ...overrides,
  };
}

export interface MemberSpec {
  name: string;
  network: string;
  region: string;
  zone: string;
}

export const DEFAULT_MEMBERS: MemberSpec[] = [
  { name: 'cluster1', network: 'network1', region: 'region1', zone: 'zone1' },
  { name: 'cluster2', network: 'network1', region: 'region2', zone: 'zone2' },
  { name: 'cluster3', network: 'network2', region: 'region3', zone: 'zone3' },
];

function serviceMeshFor(m: MemberSpec): ServiceMeshResource {
  return {
    name: m.name,
    namespace: 'cpaas-system',
    cluster: m.name,
    meshGroup: 'multi-cluster-mesh',
    istioVersion: '1.22.4+202408291030',
    multiCluster: {
      enabled: true,
      isMultiNetwork: true,
      istioNetwork: m.network,
    },
    phase: 'Deployed',
    synthesisPhase: 'Deployed',
    version: 'v4.0.20',
    desiredVersion: 'v4.0.20',
    spec: { cluster: m.name, redis: { password: 'REDACTED' } },
  };
}

export function healthyMemberData(
  m: MemberSpec,
  peers: string[],
): ClusterMeshData {
  return emptyData({
    controlPlanes: [
      {
        revision: '1-22',
        namespace: 'istio-system',
        deployment: 'istiod-1-22',
        version: '1.22.4',
        desiredReplicas: 1,
        readyReplicas: 1,
        clusterId: m.name,
      },
    ],
    meshConfigs: [
      {
        revision: '1-22',
        namespace: 'istio-system',
        configMap: 'istio-1-22',
        meshId: 'mesh1',
        trustDomain: 'cluster.local',
        network: m.network,
      },
    ],
    systemNamespaceNetwork: m.network,
    eastWestGateways: [eastWestGateway(m.network)],
    gateways: [
      {
        namespace: 'istio-system',
        name: 'cross-network-gateway',
        selector: { istio: 'eastwestgateway' },
        servers: [
          {
            port: 15443,
            protocol: 'TLS',
            tlsMode: 'AUTO_PASSTHROUGH',
            hosts: ['*.local'],
          },
        ],
      },
    ],
    remoteSecrets: peers.map(p => ({
      namespace: 'istio-system',
      name: `istio-remote-secret-${p}`,
      cluster: p,
    })),
    rootCA: {
      fingerprint: ROOT_FINGERPRINT,
      subject: 'O=Istio, CN=Root CA',
      notAfter: '2035-01-01T00:00:00Z',
      source: 'istio-system/istio-ca-root-cert',
    },
    nodes: {
      total: 3,
      byLocality: [{ region: m.region, zone: m.zone, nodes: 3 }],
      unlabelled: [],
      unlabelledCount: 0,
    },
    namespaces: [
      {
        name: 'istio-system',
        labels: { 'topology.istio.io/network': m.network },
        onboarded: false,
      },
      meshNamespace('global-svc'),
    ],
    services: [
      service('global-svc', 'product-service', [
        { region: m.region, zone: m.zone },
      ]),
    ],
    workloads: [
      workload('global-svc', 'product-service', 2, 2, {
        region: m.region,
        zone: m.zone,
      }),
    ],
    destinationRules: [
      policy(
        'DestinationRule',
        'global-svc',
        'product-service',
        structuredClone(FAILOVER_DR_SPEC),
      ),
    ],
    virtualServices: [],
    peerAuthentications: [
      policy('PeerAuthentication', 'istio-system', 'default', {
        mtls: { mode: 'STRICT' },
      }),
    ],
  });
}

/** A member cluster snapshot with data. */
export function memberCluster(
  spec: MemberSpec,
  data: ClusterMeshData,
): ClusterSnapshot {
  return {
    name: spec.name,
    role: 'member',
    status: 'ok',
    lastSyncedAt: '2026-06-01T00:00:00Z',
    region: spec.region,
    network: spec.network,
    data,
  };
}

/** A healthy multi-primary mesh: a management cluster `global` plus the members (two networks by default). */
export function healthyMesh(
  members: MemberSpec[] = DEFAULT_MEMBERS,
): MeshSnapshot {
  const names = members.map(m => m.name);
  return {
    schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
    generatedAt: NOW.toISOString(),
    managementCluster: 'global',
    clusters: [
      {
        name: 'global',
        role: 'management',
        status: 'ok',
        lastSyncedAt: '2026-06-01T00:00:00Z',
        data: emptyData({ serviceMeshes: members.map(serviceMeshFor) }),
      },
      ...members.map(m =>
        memberCluster(
          m,
          healthyMemberData(
            m,
            names.filter(n => n !== m.name),
          ),
        ),
      ),
    ],
  };
}

/** A copy of the snapshot with one cluster's data changed. */
export function edit(
  snapshot: MeshSnapshot,
  cluster: string,
  change: (data: ClusterMeshData, cluster: ClusterSnapshot) => void,
): MeshSnapshot {
  const copy = structuredClone(snapshot);
  const target = copy.clusters.find(c => c.name === cluster);
  if (!target?.data) throw new Error(`no data for ${cluster}`);
  change(target.data, target);
  return copy;
}

/** Apply `change` to every member's data. */
export function editAll(
  snapshot: MeshSnapshot,
  change: (data: ClusterMeshData, cluster: ClusterSnapshot) => void,
): MeshSnapshot {
  const copy = structuredClone(snapshot);
  for (const c of copy.clusters)
    if (c.role === 'member' && c.data) change(c.data, c);
  return copy;
}
