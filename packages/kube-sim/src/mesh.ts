// Builders of the objects of a multi-primary, multi-network Istio mesh as they look on real clusters (the shapes
// of the seed guides): used by the scenario generator, and the source the demo scenario's YAML was written from.
import { createHash } from 'node:crypto';
import type { JsonObject } from './json.ts';
import { ROOT_CERT_PEM } from './rootCert.ts';

export const ISTIO_VERSION = '1.22.4';
export const REVISION = '1-22';
export const MESH_ID = 'multi-cluster-mesh';
export const MESH_LABELS = {
  'cpaas.io/serviceMesh': 'enabled',
  'istio.io/rev': REVISION,
};
const REGISTRY_ADDRESS = 'registry.example.com:5000';
const REGISTRY = `${REGISTRY_ADDRESS}/asm`;
const CREATED = '2026-01-15T08:00:00Z';

/** Stable UIDs, so ownerReferences and targetRefs point at the objects across runs. */
export function uid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

export function hash(text: string, length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha1').update(text).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i] % alphabet.length];
  return out;
}

const meta = (
  cluster: string,
  kind: string,
  name: string,
  ns?: string,
  extra: JsonObject = {},
): JsonObject => ({
  name,
  ...(ns ? { namespace: ns } : {}),
  uid: uid(cluster, kind, ns ?? '', name),
  creationTimestamp: CREATED,
  ...extra,
});

export function namespace(
  cluster: string,
  name: string,
  labels: Record<string, string> = {},
): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(cluster, 'Namespace', name, undefined, {
      labels: { 'kubernetes.io/metadata.name': name, ...labels },
    }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function node(
  cluster: string,
  name: string,
  ip: string,
  region?: string,
  zone?: string,
): JsonObject {
  const topology: Record<string, string> = {};
  if (region) topology['topology.kubernetes.io/region'] = region;
  if (zone) topology['topology.kubernetes.io/zone'] = zone;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(cluster, 'Node', name, undefined, {
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...topology,
      },
    }),
    spec: {},
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: CREATED,
          lastTransitionTime: CREATED,
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.30.4',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.7.20',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
      capacity: { cpu: '8', memory: '32Gi', pods: '110' },
      allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
    },
  };
}

export interface PodSpec {
  cluster: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  containers: Array<{ name: string; image: string; port?: number }>;
  nodeName: string;
  ip: string;
  ready: boolean;
  owner?: { kind: string; name: string };
}

export function pod(p: PodSpec): JsonObject {
  const started = CREATED;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(p.cluster, 'Pod', p.name, p.namespace, {
      labels: p.labels,
      ...(p.annotations ? { annotations: p.annotations } : {}),
      ...(p.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: p.owner.kind,
                name: p.owner.name,
                uid: uid(p.cluster, p.owner.kind, p.namespace, p.owner.name),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    }),
    spec: {
      nodeName: p.nodeName,
      containers: p.containers.map(c => ({
        name: c.name,
        image: c.image,
        ...(c.port
          ? { ports: [{ containerPort: c.port, protocol: 'TCP' }] }
          : {}),
      })),
      restartPolicy: 'Always',
      serviceAccountName: 'default',
    },
    status: {
      phase: 'Running',
      podIP: p.ip,
      podIPs: [{ ip: p.ip }],
      startTime: started,
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: started },
        {
          type: 'Ready',
          status: p.ready ? 'True' : 'False',
          lastTransitionTime: started,
          ...(p.ready ? {} : { reason: 'ContainersNotReady' }),
        },
        {
          type: 'ContainersReady',
          status: p.ready ? 'True' : 'False',
          lastTransitionTime: started,
        },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
      ],
      containerStatuses: p.containers.map((c, i) => ({
        name: c.name,
        image: c.image,
        ready: p.ready || i > 0,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: started } },
      })),
    },
  };
}

export interface DeploymentSpec {
  cluster: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  podLabels: Record<string, string>;
  containers: Array<{
    name: string;
    image: string;
    port?: number;
    env?: Array<{ name: string; value: string }>;
  }>;
  replicas: number;
  ready: number;
}

/** A Deployment and its ReplicaSet; pods name the ReplicaSet `<deployment>-<templateHash>` as their owner. */
export function deployment(d: DeploymentSpec): {
  deployment: JsonObject;
  replicaSet: JsonObject;
  templateHash: string;
} {
  const templateHash = hash(`${d.cluster}/${d.namespace}/${d.name}`, 10);
  const template = {
    metadata: { labels: d.podLabels },
    spec: {
      containers: d.containers.map(c => ({
        name: c.name,
        image: c.image,
        ...(c.port
          ? { ports: [{ containerPort: c.port, protocol: 'TCP' }] }
          : {}),
        ...(c.env ? { env: c.env } : {}),
      })),
    },
  };
  const status = {
    observedGeneration: 1,
    replicas: d.replicas,
    readyReplicas: d.ready,
    availableReplicas: d.ready,
    updatedReplicas: d.replicas,
  };
  const rsName = `${d.name}-${templateHash}`;
  return {
    templateHash,
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(d.cluster, 'Deployment', d.name, d.namespace, {
        labels: d.labels,
        generation: 1,
      }),
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: d.selector },
        template,
      },
      status: {
        ...status,
        ...(d.ready < d.replicas
          ? { unavailableReplicas: d.replicas - d.ready }
          : {}),
        conditions: [
          {
            type: 'Available',
            status: d.ready > 0 ? 'True' : 'False',
            reason:
              d.ready > 0
                ? 'MinimumReplicasAvailable'
                : 'MinimumReplicasUnavailable',
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
          },
        ],
      },
    },
    replicaSet: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(d.cluster, 'ReplicaSet', rsName, d.namespace, {
        labels: { ...d.podLabels, 'pod-template-hash': templateHash },
        generation: 1,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: d.name,
            uid: uid(d.cluster, 'Deployment', d.namespace, d.name),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      }),
      spec: {
        replicas: d.replicas,
        selector: {
          matchLabels: { ...d.selector, 'pod-template-hash': templateHash },
        },
        template: {
          ...template,
          metadata: {
            labels: { ...d.podLabels, 'pod-template-hash': templateHash },
          },
        },
      },
      status: {
        replicas: d.replicas,
        readyReplicas: d.ready,
        availableReplicas: d.ready,
        fullyLabeledReplicas: d.replicas,
        observedGeneration: 1,
      },
    },
  };
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort?: number;
  protocol?: string;
}

export function service(
  cluster: string,
  name: string,
  ns: string,
  opts: {
    labels?: Record<string, string>;
    selector: Record<string, string>;
    ports: ServicePort[];
    clusterIP: string;
    type?: string;
    loadBalancerIP?: string;
  },
): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(
      cluster,
      'Service',
      name,
      ns,
      opts.labels ? { labels: opts.labels } : {},
    ),
    spec: {
      type: opts.type ?? 'ClusterIP',
      clusterIP: opts.clusterIP,
      clusterIPs: [opts.clusterIP],
      selector: opts.selector,
      ports: opts.ports.map(p => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        protocol: p.protocol ?? 'TCP',
      })),
    },
    status: {
      loadBalancer: opts.loadBalancerIP
        ? { ingress: [{ ip: opts.loadBalancerIP }] }
        : {},
    },
  };
}

export interface SliceEndpoint {
  ip: string;
  ready: boolean;
  nodeName: string;
  zone: string;
  pod: string;
}

export function endpointSlice(
  cluster: string,
  svc: string,
  ns: string,
  suffix: string,
  ports: ServicePort[],
  endpoints: SliceEndpoint[],
): JsonObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(cluster, 'EndpointSlice', `${svc}-${suffix}`, ns, {
      labels: {
        'kubernetes.io/service-name': svc,
        'endpointslice.kubernetes.io/managed-by':
          'endpointslice-controller.k8s.io',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: svc,
          uid: uid(cluster, 'Service', ns, svc),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    }),
    addressType: 'IPv4',
    endpoints: endpoints.map(e => ({
      addresses: [e.ip],
      conditions: { ready: e.ready, serving: e.ready, terminating: false },
      nodeName: e.nodeName,
      zone: e.zone,
      targetRef: {
        kind: 'Pod',
        namespace: ns,
        name: e.pod,
        uid: uid(cluster, 'Pod', ns, e.pod),
      },
    })),
    ports: ports.map(p => ({
      name: p.name,
      port: p.targetPort ?? p.port,
      protocol: p.protocol ?? 'TCP',
    })),
  };
}

export function configMap(
  cluster: string,
  name: string,
  ns: string,
  data: Record<string, string>,
  labels?: Record<string, string>,
): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(cluster, 'ConfigMap', name, ns, labels ? { labels } : {}),
    data,
  };
}

export function rootCert(cluster: string, ns: string): JsonObject {
  return configMap(
    cluster,
    'istio-ca-root-cert',
    ns,
    { 'root-cert.pem': ROOT_CERT_PEM },
    { 'istio.io/config': 'true' },
  );
}

export function meshConfig(cluster: string, network: string): JsonObject {
  const mesh = [
    'defaultConfig:',
    '  discoveryAddress: istiod-1-22.istio-system.svc:15012',
    `  meshId: ${MESH_ID}`,
    '  proxyMetadata:',
    `    ISTIO_META_NETWORK: ${network}`,
    'enablePrometheusMerge: true',
    'rootNamespace: istio-system',
    'trustDomain: cluster.local',
    '',
  ].join('\n');
  return configMap(
    cluster,
    `istio-${REVISION}`,
    'istio-system',
    { mesh, meshNetworks: 'networks: {}' },
    {
      'istio.io/rev': REVISION,
      'operator.istio.io/component': 'Pilot',
      release: 'istio',
    },
  );
}

/** istiod of revision 1-22: Deployment, ReplicaSet and its pods. */
export function istiod(
  cluster: string,
  nodes: string[],
  podIp: (i: number) => string,
  replicas = 1,
  ready = replicas,
): JsonObject[] {
  const labels = {
    app: 'istiod',
    istio: 'pilot',
    'istio.io/rev': REVISION,
    'operator.istio.io/component': 'Pilot',
    'operator.istio.io/version': ISTIO_VERSION,
    'app.kubernetes.io/version': ISTIO_VERSION,
    'app.kubernetes.io/name': 'istiod',
  };
  const podLabels = {
    app: 'istiod',
    istio: 'pilot',
    'istio.io/rev': REVISION,
    'sidecar.istio.io/inject': 'false',
  };
  const image = `${REGISTRY}/pilot:${ISTIO_VERSION}`;
  const d = deployment({
    cluster,
    name: `istiod-${REVISION}`,
    namespace: 'istio-system',
    labels,
    selector: { app: 'istiod', 'istio.io/rev': REVISION },
    podLabels,
    containers: [
      {
        name: 'discovery',
        image,
        port: 15012,
        env: [
          { name: 'CLUSTER_ID', value: cluster },
          { name: 'REVISION', value: REVISION },
        ],
      },
    ],
    replicas,
    ready,
  });
  const pods = Array.from({ length: replicas }, (_, i) =>
    pod({
      cluster,
      name: `istiod-${REVISION}-${d.templateHash}-${hash(
        `${cluster}/istiod/${i}`,
        5,
      )}`,
      namespace: 'istio-system',
      labels: { ...podLabels, 'pod-template-hash': d.templateHash },
      containers: [{ name: 'discovery', image, port: 15012 }],
      nodeName: nodes[i % nodes.length],
      ip: podIp(i),
      ready: i < ready,
      owner: {
        kind: 'ReplicaSet',
        name: `istiod-${REVISION}-${d.templateHash}`,
      },
    }),
  );
  return [d.deployment, d.replicaSet, ...pods];
}

export const EASTWEST_PORTS: ServicePort[] = [
  { name: 'status-port', port: 15021 },
  { name: 'tls', port: 15443 },
  { name: 'tls-istiod', port: 15012 },
  { name: 'tls-webhook', port: 15017 },
];

/** East-west gateway: Deployment, ReplicaSet, pod and the LoadBalancer Service (no ingress = pending). */
export function eastWestGateway(
  cluster: string,
  network: string,
  nodeName: string,
  podIp: string,
  clusterIP: string,
  loadBalancerIP?: string,
): JsonObject[] {
  const selector = { istio: 'eastwestgateway', app: 'istio-eastwestgateway' };
  const labels = {
    ...selector,
    'topology.istio.io/network': network,
    'istio.io/rev': REVISION,
    'operator.istio.io/version': ISTIO_VERSION,
  };
  const image = `${REGISTRY}/proxyv2:${ISTIO_VERSION}`;
  const d = deployment({
    cluster,
    name: 'istio-eastwestgateway',
    namespace: 'istio-system',
    labels,
    selector,
    podLabels: labels,
    containers: [{ name: 'istio-proxy', image, port: 15443 }],
    replicas: 1,
    ready: 1,
  });
  const gwPod = pod({
    cluster,
    name: `istio-eastwestgateway-${d.templateHash}-${hash(
      `${cluster}/eastwest`,
      5,
    )}`,
    namespace: 'istio-system',
    labels: { ...labels, 'pod-template-hash': d.templateHash },
    containers: [{ name: 'istio-proxy', image, port: 15443 }],
    nodeName,
    ip: podIp,
    ready: true,
    owner: {
      kind: 'ReplicaSet',
      name: `istio-eastwestgateway-${d.templateHash}`,
    },
  });
  const svc = service(cluster, 'istio-eastwestgateway', 'istio-system', {
    labels: {
      ...selector,
      'topology.istio.io/network': network,
      'istio.io/rev': REVISION,
    },
    selector: { istio: 'eastwestgateway' },
    ports: EASTWEST_PORTS,
    clusterIP,
    type: 'LoadBalancer',
    loadBalancerIP,
  });
  return [d.deployment, d.replicaSet, gwPod, svc];
}

export function crossNetworkGateway(cluster: string): JsonObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: meta(
      cluster,
      'Gateway',
      'cross-network-gateway',
      'istio-system',
      { generation: 1 },
    ),
    spec: {
      selector: { istio: 'eastwestgateway' },
      servers: [
        {
          port: { number: 15443, name: 'tls', protocol: 'TLS' },
          tls: { mode: 'AUTO_PASSTHROUGH' },
          hosts: ['*.local'],
        },
      ],
    },
  };
}

/** What `istioctl create-remote-secret --name=<peer>` applies: a kubeconfig for the peer's API server. */
export function remoteSecret(
  cluster: string,
  peer: string,
  server: string,
): JsonObject {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    server: ${server}`,
    `  name: ${peer}`,
    'contexts:',
    '- context:',
    `    cluster: ${peer}`,
    `    user: ${peer}`,
    `  name: ${peer}`,
    `current-context: ${peer}`,
    'users:',
    `- name: ${peer}`,
    '  user:',
    `    token: fake-remote-token-${peer}`,
    '',
  ].join('\n');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: meta(
      cluster,
      'Secret',
      `istio-remote-secret-${peer}`,
      'istio-system',
      {
        labels: { 'istio/multiCluster': 'true' },
        annotations: { 'networking.istio.io/cluster': peer },
      },
    ),
    // the API server turns stringData into base64 data on write
    stringData: { [peer]: kubeconfig },
  };
}

export function peerAuthentication(
  cluster: string,
  ns: string,
  mode: string,
): JsonObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: meta(cluster, 'PeerAuthentication', 'default', ns, {
      generation: 1,
    }),
    spec: { mtls: { mode } },
  };
}

export const OUTLIER_DETECTION = {
  consecutive5xxErrors: 1,
  interval: '10s',
  baseEjectionTime: '600s',
  maxEjectionPercent: 100,
};

export function destinationRule(
  cluster: string,
  name: string,
  ns: string,
  host: string,
  localityLbSetting: JsonObject,
): JsonObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: meta(cluster, 'DestinationRule', name, ns, { generation: 1 }),
    spec: {
      host,
      trafficPolicy: {
        loadBalancer: { localityLbSetting },
        outlierDetection: OUTLIER_DETECTION,
      },
    },
  };
}

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

// spec.componentConfig of the installation guide's ServiceMesh
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

/** The Alauda ServiceMesh resource of one business cluster, as in the installation guide. */
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

/** Labels of a workload's pod template (what the Deployment declares). */
export function templateLabels(
  app: string,
  kubernetesId: string,
): Record<string, string> {
  return { app, version: 'v1', 'backstage.io/kubernetes-id': kubernetesId };
}

/** Labels of a running pod: the sidecar injector adds tlsMode and canonical names; every pod names its network. */
export function workloadLabels(
  app: string,
  kubernetesId: string,
  network: string,
  sidecar: boolean,
): Record<string, string> {
  return {
    ...templateLabels(app, kubernetesId),
    ...(sidecar
      ? {
          'security.istio.io/tlsMode': 'istio',
          'service.istio.io/canonical-name': app,
          'service.istio.io/canonical-revision': 'v1',
        }
      : {}),
    'topology.istio.io/network': network,
  };
}

export const PROXY_IMAGE = `${REGISTRY}/proxyv2:${ISTIO_VERSION}`;

/** The annotation the sidecar injector leaves on a pod. */
export const SIDECAR_STATUS = {
  'sidecar.istio.io/status':
    '{"initContainers":["istio-validation"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"1-22"}',
};
