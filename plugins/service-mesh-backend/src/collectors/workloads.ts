/*
 * Pods of mesh namespaces, grouped by owner (Deployment via the ReplicaSet's pod-template-hash suffix,
 * StatefulSet, DaemonSet, Job… or the bare pod), with sidecar coverage and localities. Istio places a pod by its
 * `istio-locality` label, else by its node's region/zone labels.
 */
import {
  LABELS,
  Locality,
  MeshWorkload,
  UninjectedPods,
} from '@internal/plugin-service-mesh-common';
import {
  isRecord,
  mapEach,
  MappingContext,
  ObjectMeta,
  optionalArray,
  optionalRecord,
  optionalString,
} from './objects';

/** Labels that differ per pod or per rollout; they do not describe the workload. */
const POD_SPECIFIC_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'pod-template-generation',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/controller-uid',
  'controller-uid',
]);

export interface PodInfo {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  owner: { kind: string; name: string };
  ready: boolean;
  hasSidecar: boolean;
  optedOut: boolean;
  /** What the injector decides on (pkg/kube/inject/inject.go injectRequired): read only for pods without a sidecar. */
  hostNetwork?: boolean;
  injectLabel?: string;
  injectAnnotation?: string;
  locality: Locality;
}

/** What a pod contributes before node localities are known (pods and nodes are listed in parallel). */
export interface PodRecord extends Omit<PodInfo, 'locality'> {
  nodeName?: string;
}

/** One pod's fields, or undefined for a finished pod (Succeeded/Failed pods are not workloads any more). */
export function readPod(
  obj: Record<string, unknown>,
  meta: ObjectMeta,
): PodRecord | undefined {
  const spec = optionalRecord(obj.spec, 'spec') ?? {};
  const status = optionalRecord(obj.status, 'status') ?? {};
  const phase = optionalString(status.phase, 'status.phase');
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const containers = optionalArray(spec.containers, 'spec.containers');
  // Native sidecars (Kubernetes ≥1.28) run istio-proxy as a restartable init container.
  const initContainers = optionalArray(
    spec.initContainers,
    'spec.initContainers',
  );
  const ready = optionalArray(status.conditions, 'status.conditions').some(
    c => isRecord(c) && c.type === 'Ready' && c.status === 'True',
  );
  const nodeName = optionalString(spec.nodeName, 'spec.nodeName');
  const injectLabel = meta.labels[LABELS.sidecarInject];
  const injectAnnotation = meta.annotations[LABELS.sidecarInject];
  return {
    namespace: meta.namespace ?? '',
    name: meta.name,
    labels: meta.labels,
    owner: podOwner(meta.name, meta.labels, meta.ownerReferences),
    ready,
    hasSidecar: hasIstioProxy(containers) || hasIstioProxy(initContainers),
    // The label wins over the annotation when both are set (injectRequired).
    optedOut: (injectLabel ?? injectAnnotation) === 'false',
    ...(spec.hostNetwork === true ? { hostNetwork: true } : {}),
    ...(injectLabel !== undefined ? { injectLabel } : {}),
    ...(injectAnnotation !== undefined ? { injectAnnotation } : {}),
    nodeName,
  };
}

function hasIstioProxy(containers: unknown[]): boolean {
  return containers.some(c => isRecord(c) && c.name === 'istio-proxy');
}

/** Running or pending pods (finished Job pods are not workloads any more). */
export function mapPods(
  items: unknown[],
  nodeLocality: Map<string, Locality>,
  ctx: MappingContext,
): PodInfo[] {
  return mapEach(items, 'Pod', ctx, (obj, meta) => {
    const pod = readPod(obj, meta);
    if (!pod) return undefined;
    const { nodeName, ...info } = pod;
    return {
      ...info,
      locality: podLocality(
        pod.labels,
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

interface WorkloadEntry {
  namespace: string;
  kind: string;
  name: string;
  /** The first pod's labels: the workload's labels are taken from them. */
  labels: Record<string, string>;
  pods: number;
  readyPods: number;
  podsWithSidecar: number;
  podsOptedOut: number;
  /** Pods without a sidecar, by what the injector decides on (see {@link uninjectedKey}). */
  uninjected: Map<string, UninjectedPods>;
  /** Placement id → pods, in the order the placements were first met. */
  placements: Map<number, number>;
}

/** Distinct injector facts kept per workload; more pods without a sidecar join a group by the facts but labels. */
const MAX_UNINJECTED_GROUPS = 16;

/** The pod's labels without the per-pod ones: what a neverInjectSelector/alwaysInjectSelector matches on. */
function workloadLabels(
  labels: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in labels)
    if (!POD_SPECIFIC_LABELS.has(key)) out[key] = labels[key];
  return out;
}

function uninjectedKey(
  pod: Omit<PodInfo, 'locality'>,
  labels?: Record<string, string>,
): string {
  const facts = [
    pod.hostNetwork ? 'h' : '',
    pod.injectLabel ?? '\u0001',
    pod.injectAnnotation ?? '\u0001',
  ].join('\u0000');
  if (!labels) return facts;
  const sorted = Object.keys(labels)
    .sort()
    .map(k => `${k}=${labels[k]}`)
    .join(',');
  return `${facts}\u0000${sorted}`;
}

function addUninjected(
  groups: Map<string, UninjectedPods>,
  pod: Omit<PodInfo, 'locality'>,
): void {
  const labels = workloadLabels(pod.labels);
  const key = uninjectedKey(pod, labels);
  let group = groups.get(key);
  if (!group && groups.size >= MAX_UNINJECTED_GROUPS) {
    const facts = `${uninjectedKey(pod)}\u0000`;
    group = [...groups.entries()].find(([k]) => k.startsWith(facts))?.[1];
  }
  if (group) {
    group.pods++;
    return;
  }
  groups.set(key, {
    pods: 1,
    hostNetwork: pod.hostNetwork === true,
    ...(pod.injectLabel !== undefined ? { injectLabel: pod.injectLabel } : {}),
    ...(pod.injectAnnotation !== undefined
      ? { injectAnnotation: pod.injectAnnotation }
      : {}),
    labels,
  });
}

type Placement = { node: string } | { locality: Locality };

/**
 * Pods reduced as they stream in, page by page: per workload, counters and pods per placement (node or
 * istio-locality label; localities are resolved once the nodes are read), and per pod only its placement id,
 * for placing endpoints. Nothing of the raw pod is kept but the first pod's labels per workload.
 */
export class PodAggregator {
  readonly #groups = new Map<string, WorkloadEntry>();
  readonly #placements: Placement[] = [];
  readonly #placementIds = new Map<string, number>();
  /** namespace → pod name → placement id. */
  readonly #podPlacement = new Map<string, Map<string, number>>();
  /** Namespaces with a pod that runs a sidecar. */
  readonly sidecarNamespaces = new Set<string>();
  readonly #malformed = new MappingContext();
  #resolved: Array<Locality> | undefined;

  /** Maps one page of raw pods; malformed pods are held back until `flushMalformed`. */
  add(items: unknown[]): void {
    mapEach(items, 'Pod', this.#malformed, (obj, meta) => {
      const pod = readPod(obj, meta);
      if (!pod) return undefined;
      const label = pod.labels[LABELS.istioLocality];
      const placement = label
        ? this.placementOfLocality(podLocality(pod.labels))
        : this.#placementId(`n:${pod.nodeName ?? ''}`, () => ({
            node: pod.nodeName ?? '',
          }));
      this.addPod(pod, placement);
      return undefined;
    });
  }

  placementOfLocality(locality: Locality): number {
    return this.#placementId(
      `l:${locality.region}/${locality.zone}/${locality.subzone ?? ''}`,
      () => ({ locality }),
    );
  }

  #placementId(key: string, make: () => Placement): number {
    let id = this.#placementIds.get(key);
    if (id === undefined) {
      id = this.#placements.length;
      this.#placements.push(make());
      this.#placementIds.set(key, id);
    }
    return id;
  }

  addPod(pod: Omit<PodInfo, 'locality'>, placement: number): void {
    const key = `${pod.namespace}\0${pod.owner.kind}\0${pod.owner.name}`;
    let entry = this.#groups.get(key);
    if (!entry) {
      entry = {
        namespace: pod.namespace,
        kind: pod.owner.kind,
        name: pod.owner.name,
        labels: pod.labels,
        pods: 0,
        readyPods: 0,
        podsWithSidecar: 0,
        podsOptedOut: 0,
        uninjected: new Map(),
        placements: new Map(),
      };
      this.#groups.set(key, entry);
    }
    entry.pods++;
    if (pod.ready) entry.readyPods++;
    if (pod.hasSidecar) {
      entry.podsWithSidecar++;
      this.sidecarNamespaces.add(pod.namespace);
    } else addUninjected(entry.uninjected, pod);
    if (pod.optedOut) entry.podsOptedOut++;
    entry.placements.set(placement, (entry.placements.get(placement) ?? 0) + 1);

    let names = this.#podPlacement.get(pod.namespace);
    if (!names) {
      names = new Map();
      this.#podPlacement.set(pod.namespace, names);
    }
    names.set(pod.name, placement);
  }

  /** Records the malformed pods met so far. */
  flushMalformed(ctx: MappingContext): void {
    for (const entry of this.#malformed.malformedObjects) ctx.record(entry);
  }

  /** Resolves placements to localities; call once the nodes are known, before `podLocality` and `workloads`. */
  resolve(nodeLocality: Map<string, Locality>): void {
    this.#resolved = this.#placements.map(p =>
      'locality' in p
        ? p.locality
        : nodeLocality.get(p.node) ?? { region: '', zone: '' },
    );
  }

  /** The locality of a pod of a mesh namespace, for placing its endpoints. */
  podLocality(
    namespace: string,
    name: string,
    meshNamespaces: Set<string>,
  ): Locality | undefined {
    if (!meshNamespaces.has(namespace)) return undefined;
    const id = this.#podPlacement.get(namespace)?.get(name);
    return id === undefined ? undefined : this.#resolved![id];
  }

  /** The workloads of the given namespaces (all when undefined), in the order their first pod was met. */
  workloads(
    nodeLocality: Map<string, Locality>,
    inNamespaces: Set<string> | undefined,
    ownerLabels: Map<string, Record<string, string>> = new Map(),
  ): MeshWorkload[] {
    if (!this.#resolved) this.resolve(nodeLocality);
    const resolved = this.#resolved!;
    const out: MeshWorkload[] = [];
    for (const entry of this.#groups.values()) {
      if (inNamespaces && !inNamespaces.has(entry.namespace)) continue;
      const labels = workloadLabels(entry.labels);
      Object.assign(
        labels,
        ownerLabels.get(`${entry.namespace}/${entry.kind}/${entry.name}`),
      );
      const localities = new Map<string, Locality & { pods: number }>();
      for (const [id, pods] of entry.placements) {
        const locality = resolved[id];
        const locKey = `${locality.region}/${locality.zone}/${
          locality.subzone ?? ''
        }`;
        const loc = localities.get(locKey);
        if (loc) loc.pods += pods;
        else localities.set(locKey, { ...locality, pods });
      }
      out.push({
        namespace: entry.namespace,
        name: entry.name,
        kind: entry.kind,
        labels,
        pods: entry.pods,
        readyPods: entry.readyPods,
        podsWithSidecar: entry.podsWithSidecar,
        podsOptedOut: entry.podsOptedOut,
        uninjected: [...entry.uninjected.values()],
        localities: [...localities.values()],
      });
    }
    return out;
  }
}

/** Groups pods into workloads; `ownerLabels` (Deployment metadata labels by namespace/name) enrich the labels. */
export function groupWorkloads(
  pods: PodInfo[],
  ownerLabels: Map<string, Record<string, string>> = new Map(),
): MeshWorkload[] {
  const aggregator = new PodAggregator();
  for (const pod of pods)
    aggregator.addPod(pod, aggregator.placementOfLocality(pod.locality));
  return aggregator.workloads(new Map(), undefined, ownerLabels);
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
