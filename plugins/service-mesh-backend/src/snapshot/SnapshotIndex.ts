/*
 * Lookups built once per snapshot, so an entity request touches only the objects it needs instead of scanning
 * every service and workload of the fleet.
 */
import type {
  MeshService,
  MeshSnapshot,
  MeshWorkload,
} from '@internal/plugin-service-mesh-common';

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
