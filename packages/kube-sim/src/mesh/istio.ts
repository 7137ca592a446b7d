// Builders of an Istio multi-primary, multi-network installation's objects, shaped as istioctl and the Istio
// multicluster install guide leave them (https://istio.io/latest/docs/setup/install/multicluster/
// multi-primary_multi-network/): istiod, the mesh ConfigMap, root CA, east-west gateway and its cross-network
// Gateway, remote secrets (istioctl create-remote-secret), PeerAuthentication and DestinationRule, and the labels
// and annotation the sidecar injector puts on pods.
import type { JsonObject } from '../json.ts';
import { ROOT_CERT_PEM } from '../rootCert.ts';
import {
  hash,
  ISTIO_VERSION,
  MESH_ID,
  meta,
  REGISTRY,
  REVISION,
} from './identity.ts';
import {
  configMap,
  deployment,
  pod,
  service,
  type ServicePort,
} from './kubernetes.ts';

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
