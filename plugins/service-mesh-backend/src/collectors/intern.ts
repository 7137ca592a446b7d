/*
 * Sharing of equal, immutable values across the snapshot. Every member of a mesh carries the same Services,
 * DestinationRules and namespaces: without sharing, a 50-cluster snapshot holds 50 copies of each label map,
 * port list and policy spec. A shared value is deep-frozen (nothing may change it: it belongs to several clusters)
 * and held weakly, so the table never keeps a value alive that no snapshot uses any more.
 */
import type {
  MeshService,
  MeshSnapshot,
  PolicyResource,
} from '@internal/plugin-service-mesh-common';

const table = new Map<string, WeakRef<object>>();
const registry = new FinalizationRegistry<string>(key => {
  // The entry may have been replaced by a newer value with the same key since.
  if (table.get(key)?.deref() === undefined) table.delete(key);
});

/**
 * The shared instance equal to `value` (by its JSON, or by `key` when the caller has one), frozen. Use only for
 * plain JSON data whose key order is stable (objects mapped from the same manifests field by field).
 */
export function share<T extends object>(value: T, key?: string): T {
  const k = key ?? JSON.stringify(value);
  const existing = table.get(k)?.deref();
  if (existing) return existing as T;
  deepFreeze(value);
  table.set(k, new WeakRef(value));
  registry.register(value, k);
  return value;
}

/** The shared value stored under `key`, if one is alive. */
export function lookupShared<T extends object>(key: string): T | undefined {
  return table.get(key)?.deref() as T | undefined;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value))
    return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

/** Entries of the table (for tests and benchmarks). */
export function sharedValueCount(): number {
  return table.size;
}

/** Equal strings of one cluster's read as one instance (JSON.parse makes a new string per occurrence). */
export class StringPool {
  readonly #strings = new Map<string, string>();

  get(value: string): string {
    const existing = this.#strings.get(value);
    if (existing !== undefined) return existing;
    this.#strings.set(value, value);
    return value;
  }
}

/**
 * Shares the equal values of a snapshot read back from a shared store, as the collectors share them when they
 * read the clusters (JSON.parse makes one copy per cluster of every label map, port list and policy). Changes the
 * snapshot in place and returns it; call it on a freshly decoded snapshot, before indexing it.
 */
export function shareSnapshotValues(snapshot: MeshSnapshot): MeshSnapshot {
  for (const cluster of snapshot.clusters) {
    const data = cluster.data;
    if (!data) continue;
    data.namespaces = data.namespaces.map(n => share(n));
    // As the collectors share them (policies.ts): the spec by its JSON, the resource where it is equal.
    const sharePolicy = <T extends PolicyResource>(p: T): T => {
      const specKey = `S${p.kind}\0${JSON.stringify(p.spec)}`;
      return share(
        { ...p, spec: share(p.spec, specKey) },
        `R${p.namespace}\0${p.name}\0${p.creationTimestamp ?? ''}\0${specKey}`,
      );
    };
    data.destinationRules = data.destinationRules.map(sharePolicy);
    data.virtualServices = data.virtualServices.map(sharePolicy);
    data.peerAuthentications = data.peerAuthentications.map(sharePolicy);
    data.services = data.services.map(s => {
      const labelsKey = `M${JSON.stringify(s.labels)}`;
      const selectorKey = `M${JSON.stringify(s.selector)}`;
      const portsKey = `Q${JSON.stringify(s.ports)}`;
      const service: MeshService = {
        ...s,
        labels: share(s.labels, labelsKey),
        selector: share(s.selector, selectorKey),
        ports: share(s.ports, portsKey),
      };
      return s.endpoints.length > 0 ? service : share(service);
    });
  }
  return snapshot;
}
