/*
 * The demo mesh as the backend reports it: management cluster `global`; members cluster1 (us-east-1a, network1),
 * cluster2 (us-east-1b, network2, stale: its API server stopped answering) and cluster3 (eu-west-1a/b, network3,
 * upgrading, east-west gateway without an external address).
 */
import type {
  ClusterMeshStatus,
  Finding,
  OverviewResponse,
} from '@internal/plugin-service-mesh-common';

export const ROOT_CA_FINGERPRINT =
  '3F:8A:1C:52:9B:0D:E4:71:AA:06:5C:2E:91:D8:47:B3:6E:F0:12:CC:84:5A:39:D7:0B:62:E1:9F:4C:A8:73:15';
export const OTHER_CA_FINGERPRINT =
  '91:0C:7E:44:B2:58:1D:A3:6F:E0:29:C4:73:8B:15:DA:40:9E:6C:F2:03:B7:58:21:AE:94:6D:1F:C8:37:52:E6';

const rootCA = {
  fingerprint: ROOT_CA_FINGERPRINT,
  notAfter: '2035-03-01T00:00:00.000Z',
  subject: 'O=Istio, CN=Root CA',
};

const gatewayPorts = [15021, 15443, 15012, 15017];

export const globalCluster: ClusterMeshStatus = {
  name: 'global',
  role: 'management',
  status: 'ok',
  lastSyncedAt: '2025-11-21T10:00:00.000Z',
  controlPlanes: [],
  eastWestGateway: {
    health: 'absent',
    readyReplicas: 0,
    desiredReplicas: 0,
    addresses: [],
    ports: [],
  },
  remoteSecrets: [],
  localities: [{ region: 'cn-north-1', zone: 'cn-north-1a', nodes: 3 }],
  onboardedNamespaces: [],
  revisions: [],
};

export const cluster1: ClusterMeshStatus = {
  name: 'cluster1',
  role: 'member',
  status: 'ok',
  lastSyncedAt: '2025-11-21T10:00:00.000Z',
  region: 'us-east-1',
  network: 'network1',
  serviceMesh: {
    name: 'cluster1',
    phase: 'Deployed',
    synthesisPhase: 'Deployed',
    version: 'v4.0.20',
    desiredVersion: 'v4.0.20',
    istioVersion: '1.22.4+202408291030',
    meshGroup: 'multi-cluster-mesh',
  },
  controlPlanes: [
    {
      revision: '1-22',
      version: '1.22.4',
      readyReplicas: 1,
      desiredReplicas: 1,
    },
  ],
  meshId: 'multi-cluster-mesh',
  trustDomain: 'cluster.local',
  eastWestGateway: {
    health: 'healthy',
    name: 'istio-system/istio-eastwestgateway',
    network: 'network1',
    readyReplicas: 1,
    desiredReplicas: 1,
    addresses: ['192.168.10.11'],
    ports: gatewayPorts,
  },
  rootCA,
  remoteSecrets: ['cluster2', 'cluster3'],
  localities: [{ region: 'us-east-1', zone: 'us-east-1a', nodes: 3 }],
  onboardedNamespaces: ['global-svc', 'payments'],
  revisions: ['1-22'],
};

export const cluster2: ClusterMeshStatus = {
  name: 'cluster2',
  role: 'member',
  status: 'stale',
  error: {
    code: 'MESH090',
    message: 'connect ECONNREFUSED 127.0.0.1:6444',
  },
  lastSyncedAt: '2025-11-21T09:42:00.000Z',
  region: 'us-east-1',
  network: 'network2',
  serviceMesh: {
    name: 'cluster2',
    phase: 'Deployed',
    synthesisPhase: 'Deployed',
    version: 'v4.0.20',
    desiredVersion: 'v4.0.20',
    istioVersion: '1.22.4+202408291030',
    meshGroup: 'multi-cluster-mesh',
  },
  controlPlanes: [
    {
      revision: '1-22',
      version: '1.22.4',
      readyReplicas: 1,
      desiredReplicas: 1,
    },
  ],
  meshId: 'multi-cluster-mesh',
  trustDomain: 'cluster.local',
  eastWestGateway: {
    health: 'healthy',
    name: 'istio-system/istio-eastwestgateway',
    network: 'network2',
    readyReplicas: 1,
    desiredReplicas: 1,
    addresses: ['192.168.20.11'],
    ports: gatewayPorts,
  },
  rootCA,
  // No remote secret for cluster3: MESH010.
  remoteSecrets: ['cluster1'],
  localities: [{ region: 'us-east-1', zone: 'us-east-1b', nodes: 2 }],
  onboardedNamespaces: ['global-svc', 'payments'],
  revisions: ['1-22'],
};

export const cluster3: ClusterMeshStatus = {
  name: 'cluster3',
  role: 'member',
  status: 'ok',
  lastSyncedAt: '2025-11-21T10:00:00.000Z',
  region: 'eu-west-1',
  network: 'network3',
  serviceMesh: {
    name: 'cluster3',
    phase: 'Deploying',
    synthesisPhase: 'Deploying',
    version: 'v4.0.19',
    desiredVersion: 'v4.0.20',
    istioVersion: '1.22.4+202408291030',
    meshGroup: 'multi-cluster-mesh',
  },
  controlPlanes: [
    {
      revision: '1-22',
      version: '1.22.4',
      readyReplicas: 1,
      desiredReplicas: 1,
    },
  ],
  meshId: 'multi-cluster-mesh',
  trustDomain: 'cluster.local',
  eastWestGateway: {
    // The LoadBalancer is still pending: MESH032.
    health: 'degraded',
    name: 'istio-system/istio-eastwestgateway',
    network: 'network3',
    readyReplicas: 1,
    desiredReplicas: 1,
    addresses: [],
    ports: gatewayPorts,
  },
  rootCA,
  remoteSecrets: ['cluster1', 'cluster2'],
  localities: [
    { region: 'eu-west-1', zone: 'eu-west-1a', nodes: 2 },
    { region: 'eu-west-1', zone: 'eu-west-1b', nodes: 1 },
  ],
  onboardedNamespaces: ['global-svc'],
  revisions: ['1-22'],
};

export const demoFindings: Finding[] = [
  {
    id: 'MESH010-cluster2-cluster3',
    code: 'MESH010',
    severity: 'error',
    title: 'Missing remote secret',
    message:
      'cluster2 has no remote secret for cluster3: istiod in cluster2 cannot discover the endpoints of cluster3.',
    clusters: ['cluster2', 'cluster3'],
    hint: 'istioctl create-remote-secret --context=cluster3 --name=cluster3 | kubectl apply -f - --context=cluster2',
  },
  {
    id: 'MESH032-cluster3-istio-system-istio-eastwestgateway',
    code: 'MESH032',
    severity: 'error',
    title: 'East-west gateway has no external address',
    message:
      'Service istio-system/istio-eastwestgateway in cluster3 is a LoadBalancer with no ingress address and no externalIPs; other networks cannot reach cluster3.',
    clusters: ['cluster3'],
    resource: {
      kind: 'Service',
      namespace: 'istio-system',
      name: 'istio-eastwestgateway',
    },
    hint: 'kubectl --context=cluster3 -n istio-system get svc istio-eastwestgateway -o wide  # then fix the LoadBalancer controller, or set spec.externalIPs',
  },
  {
    id: 'MESH001-cluster3',
    code: 'MESH001',
    severity: 'warning',
    title: 'ServiceMesh not deployed or upgrading',
    message:
      'ServiceMesh cluster3 is in phase Deploying: version v4.0.19, desired v4.0.20 (upgrade in progress).',
    clusters: ['cluster3'],
    resource: {
      kind: 'ServiceMesh',
      namespace: 'cpaas-system',
      name: 'cluster3',
    },
    hint: 'kubectl --context=global -n cpaas-system get servicemesh cluster3 -o yaml  # check status.conditions',
  },
  {
    id: 'MESH052-global-svc-DestinationRule-product-service',
    code: 'MESH052',
    severity: 'warning',
    title: 'Traffic or security policy differs across clusters',
    message:
      'DestinationRule global-svc/product-service differs across clusters: cluster3 has no outlierDetection.',
    clusters: ['cluster1', 'cluster2', 'cluster3'],
    resource: {
      kind: 'DestinationRule',
      namespace: 'global-svc',
      name: 'product-service',
    },
    hint: 'Apply the same DestinationRule to every cluster, e.g. from one Git source with kubectl apply --context=<cluster>.',
  },
  {
    id: 'MESH062-payments',
    code: 'MESH062',
    severity: 'warning',
    title: 'Namespace onboarded in some clusters only',
    message:
      'Namespace payments is onboarded in cluster1, cluster2 and not in cluster3.',
    clusters: ['cluster3'],
    resource: { kind: 'Namespace', name: 'payments' },
    hint: 'kubectl --context=cluster3 label namespace payments cpaas.io/serviceMesh=enabled istio.io/rev=1-22',
  },
  {
    id: 'MESH063-cluster2-global-svc-product-service',
    code: 'MESH063',
    severity: 'warning',
    title: 'Pods without a sidecar',
    message:
      '1 of 2 pods of Deployment global-svc/product-service in cluster2 run without an istio-proxy sidecar.',
    clusters: ['cluster2'],
    resource: {
      kind: 'Deployment',
      namespace: 'global-svc',
      name: 'product-service',
    },
    hint: 'kubectl --context=cluster2 -n global-svc rollout restart deployment/product-service',
  },
];

export const demoOverview: OverviewResponse = {
  generatedAt: '2025-11-21T10:00:00.000Z',
  managementCluster: 'global',
  multiNetwork: true,
  clusters: [globalCluster, cluster1, cluster2, cluster3],
  findings: demoFindings,
};

/** The demo mesh with cluster3 on a different root CA (MESH020). */
export const caMismatchOverview: OverviewResponse = {
  ...demoOverview,
  clusters: [
    globalCluster,
    cluster1,
    cluster2,
    {
      ...cluster3,
      rootCA: {
        fingerprint: OTHER_CA_FINGERPRINT,
        notAfter: '2025-12-01T00:00:00.000Z',
        subject: 'O=cluster3, CN=Root CA',
      },
    },
  ],
};

export const emptyOverview: OverviewResponse = {
  generatedAt: '2025-11-21T10:00:00.000Z',
  multiNetwork: false,
  clusters: [],
  findings: [],
};
