/*
 * `serviceMesh.snapshot.*`: where the snapshot is kept and how replicas coordinate its refresh.
 */
import { Config } from '@backstage/config';
import { DEFAULT_CHUNK_BYTES } from './snapshotCodec';

export interface SnapshotStoreConfig {
  /** `database` (default): the plugin's tables, shared by replicas. `memory`: this process only. */
  store: 'database' | 'memory';
  pollIntervalMs: number;
  chunkBytes: number;
  /** 0 disables the takeover; the scheduler's task timeout and janitor then release a dead run's lock. */
  takeoverAfterSeconds: number;
}

export const DEFAULT_POLL_INTERVAL_SECONDS = 2;
export const DEFAULT_TAKEOVER_AFTER_SECONDS = 30;

export function readSnapshotStoreConfig(config: Config): SnapshotStoreConfig {
  const c = config.getOptionalConfig('serviceMesh.snapshot');
  const store = c?.getOptionalString('store') ?? 'database';
  if (store !== 'database' && store !== 'memory') {
    throw new Error(
      `Invalid serviceMesh.snapshot.store '${store}': expected 'database' or 'memory'`,
    );
  }
  const positive = (key: string, fallback: number, allowZero = false) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      throw new Error(
        `Invalid serviceMesh.snapshot.${key} ${value}: expected a ${
          allowZero ? 'non-negative' : 'positive'
        } number`,
      );
    }
    return value;
  };
  return {
    store,
    pollIntervalMs:
      positive('pollIntervalSeconds', DEFAULT_POLL_INTERVAL_SECONDS, true) *
      1000,
    chunkBytes: Math.round(
      positive('chunkSizeKiB', DEFAULT_CHUNK_BYTES / 1024) * 1024,
    ),
    takeoverAfterSeconds: positive(
      'takeoverAfterSeconds',
      DEFAULT_TAKEOVER_AFTER_SECONDS,
      true,
    ),
  };
}

/** The scheduler task's timeout: reads are bounded by the cluster timeout; the rest is analysis and storage. */
export function refreshTimeoutSeconds(clusterTimeoutSeconds: number): number {
  return Math.max(60, clusterTimeoutSeconds * 3);
}
