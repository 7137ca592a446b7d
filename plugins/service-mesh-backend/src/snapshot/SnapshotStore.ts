/*
 * Where the snapshot lives between refreshes. In memory for now; a shared store (CacheService or database) lets
 * several replicas serve the snapshot that one of them refreshed, without changing the service or the router.
 */
import type {
  Finding,
  MeshSnapshot,
} from '@internal/plugin-service-mesh-common';

/** @public */
export interface StoredSnapshot {
  snapshot: MeshSnapshot;
  /** The analysis of this snapshot, run once per refresh. */
  findings: Finding[];
}

/** @public */
export interface SnapshotStore {
  get(): Promise<StoredSnapshot | undefined>;
  set(value: StoredSnapshot): Promise<void>;
}

export class InMemorySnapshotStore implements SnapshotStore {
  #value: StoredSnapshot | undefined;

  async get(): Promise<StoredSnapshot | undefined> {
    return this.#value;
  }

  async set(value: StoredSnapshot): Promise<void> {
    this.#value = value;
  }
}
