/*
 * Progress of the refresh run, per cluster, for `GET /refresh` and the 202 answer of `POST /refresh`. The
 * replica that reads records each step; it writes the progress to the plugin's cache, which every replica shares
 * when the cache is shared (Redis, memcache; `app-config.production.yaml`), so a page served by another replica
 * shows the same run. With an unshared (in-memory) cache a replica that is not reading shows its own last run, or
 * `idle` with no clusters: the snapshot itself still reaches it through the store.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterSnapshot,
  RefreshClusterProgress,
  RefreshProgress,
} from '@internal/plugin-service-mesh-common';

const CACHE_KEY = 'refresh-progress';
/** A run that dies without finishing disappears from the cache after this. */
const CACHE_TTL_MS = 10 * 60_000;

/**
 * Where the progress is shared: the plugin's ResilientCache (cache/meshCacheServiceRef), whose calls never wait
 * on a lost Redis — Backstage's cache client queues commands while it reconnects, and a GET or POST /refresh that
 * waited on it would never be answered (and would keep a stopping replica alive).
 */
export interface ProgressCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
}

export interface RefreshProgressTracker {
  /** A run starts: every cluster is queued. */
  begin(clusters: string[]): void;
  reading(cluster: string): void;
  /** The cluster's read ended; `ok` false when it failed (its data may be kept as stale). */
  finished(cluster: ClusterSnapshot, ok: boolean): void;
  /** The run ended; `generatedAt` of what it published, if it did. */
  end(generatedAt?: string): void;
  /** This replica's view, or the shared one when a cache is set. */
  get(): Promise<RefreshProgress>;
}

export class DefaultRefreshProgressTracker implements RefreshProgressTracker {
  #progress: RefreshProgress = { state: 'idle', clusters: [] };
  #writing: Promise<void> = Promise.resolve();
  readonly #cache?: ProgressCache;
  readonly #logger?: LoggerService;
  readonly #now: () => Date;
  readonly #onChange?: (progress: RefreshProgress) => void;

  constructor(
    options: {
      cache?: ProgressCache;
      logger?: LoggerService;
      now?: () => Date;
      /** Called after each step (e.g. to publish a signal). */
      onChange?: (progress: RefreshProgress) => void;
    } = {},
  ) {
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#onChange = options.onChange;
  }

  begin(clusters: string[]): void {
    this.#set({
      state: 'running',
      startedAt: this.#now().toISOString(),
      clusters: clusters.map(name => ({ name, state: 'queued' })),
    });
  }

  reading(cluster: string): void {
    this.#update(cluster, { state: 'reading' });
  }

  finished(cluster: ClusterSnapshot, ok: boolean): void {
    this.#update(cluster.name, {
      state: ok ? 'done' : 'failed',
      ...(cluster.durationMs !== undefined
        ? { durationMs: cluster.durationMs }
        : {}),
      ...(ok || !cluster.error
        ? {}
        : { error: `${cluster.status}: ${cluster.error.message}` }),
    });
  }

  end(generatedAt?: string): void {
    const { startedAt, clusters } = this.#progress;
    this.#set({
      state: 'idle',
      ...(startedAt ? { startedAt } : {}),
      finishedAt: this.#now().toISOString(),
      ...(generatedAt ? { generatedAt } : {}),
      // A cluster still queued or reading when the run ended (aborted) did not finish.
      clusters: clusters.map(c =>
        c.state === 'queued' || c.state === 'reading'
          ? {
              ...c,
              state: 'failed',
              error: c.error ?? 'the refresh ended first',
            }
          : c,
      ),
    });
  }

  async get(): Promise<RefreshProgress> {
    if (this.#progress.state === 'running' || !this.#cache)
      return this.#progress;
    try {
      const shared = await this.#cache.get<RefreshProgress>(CACHE_KEY);
      if (shared && isNewer(shared, this.#progress)) return shared;
    } catch (error) {
      this.#logger?.debug(`Refresh progress not read from the cache: ${error}`);
    }
    return this.#progress;
  }

  #update(cluster: string, change: Partial<RefreshClusterProgress>): void {
    if (this.#progress.state !== 'running') return;
    this.#set({
      ...this.#progress,
      clusters: this.#progress.clusters.map(c =>
        c.name === cluster ? { ...c, ...change } : c,
      ),
    });
  }

  #set(progress: RefreshProgress): void {
    this.#progress = progress;
    this.#onChange?.(progress);
    const cache = this.#cache;
    if (!cache) return;
    // Writes are chained so the cache never ends on an older step than the last one.
    this.#writing = this.#writing
      .then(() => cache.set(CACHE_KEY, progress, CACHE_TTL_MS))
      .catch(error =>
        this.#logger?.debug(
          `Refresh progress not written to the cache: ${error}`,
        ),
      );
  }
}

/** The later run wins; of one run, the finished step. */
function isNewer(a: RefreshProgress, b: RefreshProgress): boolean {
  const startedA = a.startedAt ?? '';
  const startedB = b.startedAt ?? '';
  if (startedA !== startedB) return startedA > startedB;
  return a.state === 'idle' && b.state === 'running';
}
