/*
 * Where the snapshot lives between refreshes. The plugin's default is `DatabaseSnapshotStore` (the plugin's own
 * tables, shared by every replica on the same database); `InMemorySnapshotStore` serves a single process and tests.
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
export interface SnapshotStoreGetOptions {
  /**
   * Check the shared store now. Without it a shared store answers from memory and looks for a newer generation
   * at most once per polling period, in the background.
   */
  latest?: boolean;
}

/** @public */
export interface SnapshotStoreSetOptions {
  /**
   * The refresh run publishing this snapshot. A shared store publishes only while that run still holds the
   * refresh lease, so a run that was declared dead (and replaced) can never overwrite a newer snapshot.
   */
  runId?: string;
  /** Stops retries of a failing publication (the run was aborted). */
  signal?: AbortSignal;
}

/**
 * Holds the latest snapshot. `get` returns the same object until a new snapshot is published, so callers can
 * key derived data (indexes) on its identity.
 *
 * @public
 */
export interface SnapshotStore {
  get(options?: SnapshotStoreGetOptions): Promise<StoredSnapshot | undefined>;
  set(value: StoredSnapshot, options?: SnapshotStoreSetOptions): Promise<void>;
  /** A shared store's view of its backing service (never queries); in-process stores leave it out. */
  health?(): SnapshotStoreHealth;
}

/** @public */
export interface SnapshotStoreHealth {
  /** `failing` after a read or write of the backing store failed, until the next one works. */
  status: 'ok' | 'failing';
  /** The last failure's message while failing. */
  error?: string;
  /** Since when (ISO 8601) it has been failing. */
  failingSince?: string;
  /** A snapshot is held in memory (and served whatever the backing store does). */
  hasSnapshot: boolean;
  /** The manifest sequence of the generation held in memory. */
  sequence?: number;
}

/** Thrown by `SnapshotStore.set` when the run no longer holds the refresh lease; nothing was published. */
export class RefreshSupersededError extends Error {
  readonly name = 'RefreshSupersededError';
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
