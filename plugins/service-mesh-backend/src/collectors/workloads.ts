/*
 * Pods of mesh namespaces, grouped by owner (Deployment via the ReplicaSet's pod-template-hash suffix,
 * StatefulSet, DaemonSet, Job… or the bare pod), with sidecar coverage and localities. Istio places a pod by its
 * `istio-locality` label, else by its node's region/zone labels.
 */
import {
  LABELS,
  Locality,
  MeshWorkload,
} from '@internal/plugin-service-mesh-common';
import {
  isRecord,
  mapEach,
  MappingContext,
  optionalArray,
  optionalRecord,
  optionalString,
} from './objects';

/** Labels that differ per pod or per rollout; they do not describe the workload. */
const POD_SPECIFIC_LABELS = [
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'pod-template-generation',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/controller-uid',
  'controller-uid',
];

export interface PodInfo {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  owner: { kind: string; name: string };
  ready: boolean;
  hasSidecar: boolean;
  optedOut: boolean;
  locality: Locality;
}

/** Running or pending pods (finished Job pods are not workloads any more). */
export function mapPods(
  items: unknown[],
  nodeLocality: Map<string, Locality>,
  ctx: MappingContext,
): PodInfo[] {
  return mapEach(items, 'Pod', ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec') ?? {};
    const status = optionalRecord(obj.status, 'status') ?? {};
    const phase = optionalString(status.phase, 'status.phase');
    if (phase === 'Succeeded' || phase === 'Failed') return undefined;
    const containers = [
      ...optionalArray(spec.containers, 'spec.containers'),
      // Native sidecars (Kubernetes ≥1.28) run istio-proxy as a restartable init container.
      ...optionalArray(spec.initContainers, 'spec.initContainers'),
    ];
    const ready = optionalArray(status.conditions, 'status.conditions').some(
      c => isRecord(c) && c.type === 'Ready' && c.status === 'True',
    );
    const nodeName = optionalString(spec.nodeName, 'spec.nodeName');
    return {
      namespace: meta.namespace ?? '',
      name: meta.name,
      labels: meta.labels,
      owner: podOwner(meta.name, meta.labels, meta.ownerReferences),
      ready,
      hasSidecar: containers.some(c => isRecord(c) && c.name === 'istio-proxy'),
      optedOut:
        meta.labels[LABELS.sidecarInject] === 'false' ||
        meta.annotations[LABELS.sidecarInject] === 'false',
      locality: podLocality(
        meta.labels,
        nodeName ? nodeLocality.get(nodeName) : undefined,
      ),
    };
  });
}

/** The workload that owns a pod: a ReplicaSet named `<deployment>-<pod-template-hash>` belongs to a Deployment. */
export function podOwner(
  podName: string,
  labels: Record<string, string>,
  ownerReferences: Array<{ kind: string; name: string; controller?: boolean }>,
): { kind: string; name: string } {
  const ref = ownerReferences.find(r => r.controller) ?? ownerReferences[0];
  if (!ref) return { kind: 'Pod', name: podName };
  const hash = labels['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: ref.name.slice(0, -(hash.length + 1)) };
  }
  return { kind: ref.kind, name: ref.name };
}

export function podLocality(
  labels: Record<string, string>,
  nodeLocality?: Locality,
): Locality {
  const label = labels[LABELS.istioLocality];
  if (label) {
    // Label values cannot hold '/', so Istio accepts region.zone.subzone here.
    const [region = '', zone = '', subzone] = label.split(/[./]/);
    return { region, zone, ...(subzone ? { subzone } : {}) };
  }
  return nodeLocality ?? { region: '', zone: '' };
}

/** Groups pods into workloads; `ownerLabels` (Deployment metadata labels by namespace/name) enrich the labels. */
export function groupWorkloads(
  pods: PodInfo[],
  ownerLabels: Map<string, Record<string, string>> = new Map(),
): MeshWorkload[] {
  const byOwner = new Map<
    string,
    {
      workload: MeshWorkload;
      localities: Map<string, Locality & { pods: number }>;
    }
  >();
  for (const pod of pods) {
    const key = `${pod.namespace}/${pod.owner.kind}/${pod.owner.name}`;
    let entry = byOwner.get(key);
    if (!entry) {
      const labels = { ...pod.labels };
      for (const l of POD_SPECIFIC_LABELS) delete labels[l];
      Object.assign(
        labels,
        ownerLabels.get(`${pod.namespace}/${pod.owner.kind}/${pod.owner.name}`),
      );
      entry = {
        workload: {
          namespace: pod.namespace,
          name: pod.owner.name,
          kind: pod.owner.kind,
          labels,
          pods: 0,
          readyPods: 0,
          podsWithSidecar: 0,
          podsOptedOut: 0,
          localities: [],
        },
        localities: new Map(),
      };
      byOwner.set(key, entry);
    }
    const w = entry.workload;
    w.pods++;
    if (pod.ready) w.readyPods++;
    if (pod.hasSidecar) w.podsWithSidecar++;
    if (pod.optedOut) w.podsOptedOut++;
    const locKey = `${pod.locality.region}/${pod.locality.zone}/${
      pod.locality.subzone ?? ''
    }`;
    const loc = entry.localities.get(locKey) ?? { ...pod.locality, pods: 0 };
    loc.pods++;
    entry.localities.set(locKey, loc);
  }
  return [...byOwner.values()].map(({ workload, localities }) => ({
    ...workload,
    localities: [...localities.values()],
  }));
}

/** Deployment metadata labels by `namespace/Deployment/name`: the Kubernetes plugin matches those too. */
export function deploymentLabels(
  deployments: unknown[],
  ctx: MappingContext,
): Map<string, Record<string, string>> {
  return new Map(
    mapEach(
      deployments,
      'Deployment',
      ctx,
      (_obj, meta) =>
        [
          `${meta.namespace ?? ''}/Deployment/${meta.name}`,
          meta.labels,
        ] as const,
    ),
  );
}
