// Builders of plain Kubernetes objects as a real cluster holds them (status included): namespaces, nodes, pods,
// Deployments with their ReplicaSets, Services, EndpointSlices and ConfigMaps.
import type { JsonObject } from '../json.ts';
import { CREATED, hash, meta, uid } from './identity.ts';

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
