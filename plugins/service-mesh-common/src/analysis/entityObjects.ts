/*
 * A catalog entity's Services and workloads, matched like Backstage's Kubernetes plugin does:
 * `backstage.io/kubernetes-id` (objects labelled with it) or `backstage.io/kubernetes-label-selector`, optionally
 * restricted to `backstage.io/kubernetes-namespace`. Services that select a matched workload (and workloads a
 * matched Service selects) belong to the entity too, since the label is often set on only one of them.
 * The lookups are built once per snapshot (SnapshotIndex), so a request touches only the objects it needs.
 */
import { KUBERNETES_ID_LABEL } from '../constants';
import type { EntitySelector } from '../types/api';
import type {
  MeshService,
  MeshSnapshot,
  MeshWorkload,
} from '../types/snapshot';
import {
  exactMatchRequirement,
  labelSelectorMatches,
  parseLabelSelector,
  serviceSelectorSelects,
} from '../labels/labelSelector';

export interface ClusterObjects {
  services: MeshService[];
  workloads: MeshWorkload[];
}

export class SnapshotIndex {
  /** `key=value` label → cluster → objects carrying that label. */
  readonly #byLabel = new Map<string, Map<string, ClusterObjects>>();
  /** cluster → namespace → objects. */
  readonly #byNamespace = new Map<string, Map<string, ClusterObjects>>();

  static build(snapshot: MeshSnapshot): SnapshotIndex {
    const index = new SnapshotIndex();
    for (const cluster of snapshot.clusters) {
      if (!cluster.data) continue;
      for (const service of cluster.data.services) {
        for (const objects of index.#buckets(cluster.name, service))
          objects.services.push(service);
      }
      for (const workload of cluster.data.workloads) {
        for (const objects of index.#buckets(cluster.name, workload))
          objects.workloads.push(workload);
      }
    }
    return index;
  }

  /** Objects labelled `key=value`, per cluster. */
  withLabel(key: string, value: string): Map<string, ClusterObjects> {
    return this.#byLabel.get(`${key}=${value}`) ?? new Map();
  }

  /** Objects of one namespace of one cluster. */
  inNamespace(cluster: string, namespace: string): ClusterObjects {
    return (
      this.#byNamespace.get(cluster)?.get(namespace) ?? {
        services: [],
        workloads: [],
      }
    );
  }

  /** Every namespace of a cluster that has services or workloads. */
  namespaces(cluster: string): Map<string, ClusterObjects> {
    return this.#byNamespace.get(cluster) ?? new Map();
  }

  /** The index entries an object belongs to: one per label, and its namespace. */
  #buckets(cluster: string, obj: MeshService | MeshWorkload): ClusterObjects[] {
    return [
      ...Object.entries(obj.labels).map(([key, value]) =>
        bucket(bucketMap(this.#byLabel, `${key}=${value}`), cluster),
      ),
      bucket(bucketMap(this.#byNamespace, cluster), obj.namespace),
    ];
  }
}

function bucketMap<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

function bucket(map: Map<string, ClusterObjects>, key: string): ClusterObjects {
  let objects = map.get(key);
  if (!objects) {
    objects = { services: [], workloads: [] };
    map.set(key, objects);
  }
  return objects;
}

/**
 * The entity's Services and workloads per cluster. Throws LabelSelectorError for a label selector the API server
 * would reject.
 */
export function matchEntityObjects(
  index: SnapshotIndex,
  clusters: string[],
  selector: EntitySelector,
): Map<string, ClusterObjects> {
  const requirements = selector.labelSelector
    ? parseLabelSelector(selector.labelSelector)
    : undefined;

  let candidates: Map<string, ClusterObjects>;
  if (requirements) {
    const indexed = exactMatchRequirement(requirements);
    if (indexed) {
      candidates = index.withLabel(indexed.key, indexed.value);
    } else {
      // Only set-based or negative requirements: scan, within the namespace when one is given.
      candidates = new Map();
      for (const cluster of clusters) {
        const objects: ClusterObjects = { services: [], workloads: [] };
        const spaces = selector.namespace
          ? [index.inNamespace(cluster, selector.namespace)]
          : [...index.namespaces(cluster).values()];
        for (const o of spaces) {
          objects.services.push(...o.services);
          objects.workloads.push(...o.workloads);
        }
        candidates.set(cluster, objects);
      }
    }
  } else if (selector.kubernetesId) {
    candidates = index.withLabel(KUBERNETES_ID_LABEL, selector.kubernetesId);
  } else {
    candidates = new Map();
  }

  const keep = (o: MeshService | MeshWorkload) =>
    (!selector.namespace || o.namespace === selector.namespace) &&
    (!requirements || labelSelectorMatches(requirements, o.labels));

  const result = new Map<string, ClusterObjects>();
  for (const [cluster, objects] of candidates) {
    const services = objects.services.filter(keep);
    const workloads = objects.workloads.filter(keep);
    // Complete the pairs: the Service selecting a matched workload, the workloads a matched Service selects.
    for (const ns of new Set(
      [...services, ...workloads].map(o => o.namespace),
    )) {
      const inNs = index.inNamespace(cluster, ns);
      for (const svc of inNs.services) {
        if (
          !services.includes(svc) &&
          workloads.some(
            w =>
              w.namespace === ns &&
              serviceSelectorSelects(svc.selector, w.labels),
          )
        ) {
          services.push(svc);
        }
      }
      for (const w of inNs.workloads) {
        if (
          !workloads.includes(w) &&
          services.some(
            svc =>
              svc.namespace === ns &&
              serviceSelectorSelects(svc.selector, w.labels),
          )
        ) {
          workloads.push(w);
        }
      }
    }
    if (services.length > 0 || workloads.length > 0)
      result.set(cluster, { services, workloads });
  }
  return result;
}
