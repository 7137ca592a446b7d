// The Alauda Service Mesh `ServiceMesh` resource (asm.alauda.io/v1alpha1) of one business cluster, shaped like
// the demo scenario's (packages/kube-sim/scenarios/demo/global/servicemeshes.yaml).
import type { JsonObject } from '../json.ts';
import { MESH_ID, meta, REGISTRY_ADDRESS } from './identity.ts';

const resources = (rc: string, rm: string, lc: string, lm: string) => ({
  requests: { cpu: rc, memory: rm },
  limits: { cpu: lc, memory: lm },
});
const component = (
  name: string,
  group: string,
  replicaCount: number,
  res: JsonObject,
  extra: JsonObject = {},
) => ({
  name,
  group,
  replicaCount,
  hpaSpec: { enabled: false },
  resources: res,
  ...extra,
});

// spec.componentConfig, as in the demo's ServiceMesh resources
const COMPONENT_CONFIG = [
  component('istioCni', 'istio', 0, {}, { cni: { namespace: 'kube-system' } }),
  component('istiod', 'istio', 1, resources('0.5', '512Mi', '2', '2048Mi')),
  component(
    'asmController',
    'controller',
    1,
    resources('0.25', '512Mi', '1', '1Gi'),
  ),
  component(
    'eastwestGateways',
    'istio',
    1,
    resources('0.25', '128Mi', '2', '1024Mi'),
    {
      deployMode: 'FixedRequired',
      parameters: null,
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  {
                    key: 'kubernetes.io/os',
                    operator: 'In',
                    values: ['linux'],
                  },
                ],
              },
            ],
          },
        },
      },
    },
  ),
  component(
    'flagger',
    'controller',
    1,
    resources('0.25', '128Mi', '1', '512Mi'),
  ),
  component(
    'jaegerCollector',
    'tracer',
    1,
    resources('0.25', '512Mi', '3', '512Mi'),
  ),
  component(
    'jaegerQuery',
    'tracer',
    1,
    resources('0.25', '512Mi', '1', '512Mi'),
  ),
  component(
    'asmCore',
    'controller',
    1,
    resources('0.25', '128Mi', '1', '512Mi'),
  ),
  component(
    'asmOtelCollector',
    'tracer',
    1,
    resources('0.25', '512Mi', '2', '1Gi'),
  ),
  component(
    'asmOtelCollectorLB',
    'tracer',
    1,
    resources('0.25', '512Mi', '1', '1Gi'),
  ),
  component(
    'tier2ingressGateways',
    'istio',
    1,
    resources('0.25', '128Mi', '2', '1024Mi'),
  ),
];

export interface ServiceMeshStatus {
  state?: string;
  synthesisPhase: string;
  phase: string;
  version: string;
  desiredVersion: string;
}

/** The Alauda ServiceMesh resource of one business cluster (the demo's: scenarios/demo/global/servicemeshes.yaml). */
export function serviceMesh(
  cluster: string,
  name: string,
  status: ServiceMeshStatus,
  redisPassword: string,
): JsonObject {
  return {
    apiVersion: 'asm.alauda.io/v1alpha1',
    kind: 'ServiceMesh',
    metadata: meta(cluster, 'ServiceMesh', name, 'cpaas-system', {
      labels: {
        'servicemesh.cpaas.io/managedBy': 'operator',
        'asm.cpaas.io/meshgroup': MESH_ID,
        'asm.cpaas.io/cluster': name,
      },
      annotations: { 'asm.cpaas.io/display-name': '' },
      generation: 1,
    }),
    spec: {
      withoutIstio: false,
      istioVersion: '1.22.4+202408291030',
      cluster: name,
      registryAddress: REGISTRY_ADDRESS,
      multiCluster: { enabled: true, isMultiNetwork: true, istioNetwork: '' },
      istioSidecarInjectorPolicy: false,
      ipranges: { ranges: ['*'] },
      ingressH2Enabled: false,
      ingressScheme: 'https',
      caConfig: { certmanager: {} },
      componentConfig: COMPONENT_CONFIG,
      requiredAntiAffinity: true,
      elasticsearch: {
        url: 'http://127.0.0.1:9200',
        isDefault: true,
        cluster: 'global',
      },
      redis: {
        address: '127.0.0.1:6379',
        authType: 'basic',
        enabled: true,
        kind: 'sentinel',
        masterName: 'mymaster',
        password: redisPassword,
      },
      istioSidecar: {
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '500m', memory: '512Mi' },
        },
      },
      istioConfig: {
        cni: { enabled: true },
        defaultHttpRetryPolicy: { attempts: 2 },
      },
      traceSampling: 100,
      globalIngressHost: 'http://127.0.0.1:3000',
      monitorType: 'victoriametrics',
      prometheusURL: 'http://127.0.0.1:8428',
      isDefaultMonitor: true,
      clusterType: 'Baremetal',
      kafka: { enabled: false },
    },
    status,
  };
}
