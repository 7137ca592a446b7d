/*
 * product-service (namespace global-svc) as the backend reports it: 3 endpoints in cluster1 (us-east-1a),
 * 2 in cluster2 (us-east-1b, stale) and 2 in cluster3 (eu-west-1a, one not ready).
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityResponse,
  MeshService,
  MeshWorkload,
  SimulationInput,
} from '@internal/plugin-service-mesh-common';
import { demoFindings } from './overview';

export const productServiceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'product-service',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'product-service',
      'backstage.io/kubernetes-namespace': 'global-svc',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
};

export const legacyReportsEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'legacy-reports', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'deprecated', owner: 'shop-team' },
};

const productLabels = {
  app: 'product',
  'backstage.io/kubernetes-id': 'product-service',
};

function service(endpoints: MeshService['endpoints']): MeshService {
  return {
    namespace: 'global-svc',
    name: 'product-service',
    labels: productLabels,
    type: 'ClusterIP',
    selector: { app: 'product' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    headless: false,
    endpoints,
  };
}

function workload(
  pods: number,
  readyPods: number,
  podsWithSidecar: number,
  localities: MeshWorkload['localities'],
): MeshWorkload {
  return {
    namespace: 'global-svc',
    name: 'product-service',
    kind: 'Deployment',
    labels: productLabels,
    pods,
    readyPods,
    podsWithSidecar,
    podsOptedOut: 0,
    localities,
  };
}

const us1a = { region: 'us-east-1', zone: 'us-east-1a' };
const us1b = { region: 'us-east-1', zone: 'us-east-1b' };
const eu1a = { region: 'eu-west-1', zone: 'eu-west-1a' };

const outlierDetection = {
  consecutive5xxErrors: 1,
  interval: '10s',
  baseEjectionTime: '600s',
  maxEjectionPercent: 100,
};

const failoverPolicy = {
  loadBalancer: {
    localityLbSetting: {
      enabled: true,
      failover: [{ from: 'us-east-1', to: 'eu-west-1' }],
    },
  },
  outlierDetection,
};

export const productServiceSimulationInput: SimulationInput = {
  endpoints: [
    {
      cluster: 'cluster1',
      network: 'network1',
      locality: us1a,
      healthy: 3,
      unhealthy: 0,
    },
    {
      cluster: 'cluster2',
      network: 'network2',
      locality: us1b,
      healthy: 2,
      unhealthy: 0,
    },
    {
      cluster: 'cluster3',
      network: 'network3',
      locality: eu1a,
      healthy: 1,
      unhealthy: 1,
    },
  ],
  policy: {
    localityLbSetting: {
      enabled: true,
      failover: [{ from: 'us-east-1', to: 'eu-west-1' }],
    },
    outlierDetection,
    source: {
      cluster: 'cluster1',
      namespace: 'global-svc',
      name: 'product-service',
    },
  },
  meshLocalityLbEnabled: true,
};

export const productServiceResponse: EntityResponse = {
  entityRef: 'component:default/product-service',
  generatedAt: '2025-11-21T10:00:00.000Z',
  selector: { kubernetesId: 'product-service', namespace: 'global-svc' },
  clusters: [
    {
      cluster: 'cluster1',
      status: 'ok',
      lastSyncedAt: '2025-11-21T10:00:00.000Z',
      region: 'us-east-1',
      network: 'network1',
      namespaces: [{ name: 'global-svc', onboarded: true, revision: '1-22' }],
      services: [service([{ locality: us1a, ready: 3, notReady: 0 }])],
      workloads: [workload(3, 3, 3, [{ ...us1a, pods: 3 }])],
      sidecarCoverage: { pods: 3, withSidecar: 3 },
      mtlsMode: 'STRICT',
    },
    {
      cluster: 'cluster2',
      status: 'stale',
      lastSyncedAt: '2025-11-21T09:42:00.000Z',
      region: 'us-east-1',
      network: 'network2',
      namespaces: [{ name: 'global-svc', onboarded: true, revision: '1-22' }],
      services: [service([{ locality: us1b, ready: 2, notReady: 0 }])],
      workloads: [workload(2, 2, 1, [{ ...us1b, pods: 2 }])],
      sidecarCoverage: { pods: 2, withSidecar: 1 },
      mtlsMode: 'STRICT',
    },
    {
      cluster: 'cluster3',
      status: 'ok',
      lastSyncedAt: '2025-11-21T10:00:00.000Z',
      region: 'eu-west-1',
      network: 'network3',
      namespaces: [{ name: 'global-svc', onboarded: true, revision: '1-22' }],
      services: [service([{ locality: eu1a, ready: 1, notReady: 1 }])],
      workloads: [workload(2, 1, 2, [{ ...eu1a, pods: 2 }])],
      sidecarCoverage: { pods: 2, withSidecar: 2 },
      mtlsMode: 'PERMISSIVE (default)',
    },
  ],
  endpointDistribution: [
    {
      cluster: 'cluster1',
      network: 'network1',
      service: 'global-svc/product-service',
      locality: us1a,
      ready: 3,
      notReady: 0,
    },
    {
      cluster: 'cluster2',
      network: 'network2',
      service: 'global-svc/product-service',
      locality: us1b,
      ready: 2,
      notReady: 0,
    },
    {
      cluster: 'cluster3',
      network: 'network3',
      service: 'global-svc/product-service',
      locality: eu1a,
      ready: 1,
      notReady: 1,
    },
  ],
  trafficPolicies: [
    {
      kind: 'DestinationRule',
      namespace: 'global-svc',
      name: 'product-service',
      clusters: ['cluster1', 'cluster2'],
      spec: {
        host: 'product-service.global-svc.svc.cluster.local',
        trafficPolicy: failoverPolicy,
      },
    },
    {
      kind: 'DestinationRule',
      namespace: 'global-svc',
      name: 'product-service',
      clusters: ['cluster3'],
      spec: {
        host: 'product-service.global-svc.svc.cluster.local',
        trafficPolicy: { loadBalancer: failoverPolicy.loadBalancer },
      },
    },
    {
      kind: 'VirtualService',
      namespace: 'global-svc',
      name: 'product-service',
      clusters: ['cluster1', 'cluster2', 'cluster3'],
      spec: {
        hosts: ['product-service'],
        http: [
          {
            route: [
              {
                destination: { host: 'product-service', port: { number: 80 } },
              },
            ],
            retries: { attempts: 3, perTryTimeout: '2s' },
          },
        ],
      },
    },
    {
      kind: 'PeerAuthentication',
      namespace: 'global-svc',
      name: 'default',
      clusters: ['cluster1', 'cluster2'],
      spec: { mtls: { mode: 'STRICT' } },
    },
  ],
  simulations: [
    {
      service: 'global-svc/product-service',
      input: productServiceSimulationInput,
      result: {
        mode: 'failover',
        notes: [
          'Endpoints on other networks are reached through east-west gateways; the shares assume those gateways are healthy.',
        ],
        clients: [
          {
            client: {
              locality: us1a,
              cluster: 'cluster1',
              network: 'network1',
            },
            noHealthyUpstream: false,
            shares: [
              { cluster: 'cluster1', ...us1a, priority: 0, share: 100 },
              { cluster: 'cluster2', ...us1b, priority: 1, share: 0 },
              { cluster: 'cluster3', ...eu1a, priority: 2, share: 0 },
            ],
          },
          {
            client: {
              locality: us1b,
              cluster: 'cluster2',
              network: 'network2',
            },
            noHealthyUpstream: false,
            shares: [
              { cluster: 'cluster2', ...us1b, priority: 0, share: 100 },
              { cluster: 'cluster1', ...us1a, priority: 1, share: 0 },
              { cluster: 'cluster3', ...eu1a, priority: 2, share: 0 },
            ],
          },
          {
            client: {
              locality: eu1a,
              cluster: 'cluster3',
              network: 'network3',
            },
            noHealthyUpstream: false,
            shares: [
              { cluster: 'cluster3', ...eu1a, priority: 0, share: 70 },
              { cluster: 'cluster1', ...us1a, priority: 1, share: 18 },
              { cluster: 'cluster2', ...us1b, priority: 1, share: 12 },
            ],
          },
        ],
      },
    },
  ],
  findings: demoFindings.filter(f => ['MESH052', 'MESH063'].includes(f.code)),
};

/** The entity exists in the catalog but no cluster has its workloads. */
export const notInMeshResponse: EntityResponse = {
  entityRef: 'component:default/product-service',
  generatedAt: '2025-11-21T10:00:00.000Z',
  selector: { kubernetesId: 'product-service', namespace: 'global-svc' },
  clusters: [],
  endpointDistribution: [],
  trafficPolicies: [],
  simulations: [],
  findings: [],
};
