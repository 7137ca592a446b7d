/*
 * The mesh snapshot: refreshed on a schedule and on demand, read by every request. Clusters are read in
 * parallel, each under its own timeout; a failed cluster keeps its last good data, marked stale. With several
 * replicas, the store is shared and refreshes go through the scheduler's global task (see RefreshCoordinator).
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  analyzeMesh,
  parseSnapshot,
  ClusterMeshData,
  ClusterSnapshot,
  CollectionError,
  Finding,
  MESH_SNAPSHOT_SCHEMA_VERSION,
  dataNetwork,
  MeshSnapshot,
  RefreshProgress,
  serviceMeshNetworks,
  SnapshotIndex,
} from '@internal/plugin-service-mesh-common';
import {
  classifyClusterFailure,
  ClusterAccessError,
  clusterStatusOf,
  MeshCluster,
  MeshClusterList,
  ServiceMeshClustersService,
} from '@internal/plugin-service-mesh-node';
import { ServiceMeshConfig } from '../cluster/config';
import { ClusterReadError, collectCluster } from '../collectors/collectCluster';
import {
  DEFAULT_ISTIOD_SETTINGS,
  IstiodSettings,
} from '../collectors/istiodConfig';
import type { RefreshRun, RefreshTrigger } from './RefreshCoordinator';
import type { RefreshProgressTracker } from './RefreshProgress';
import { ClusterWatches } from './watch/ClusterWatches';
import {
  InMemorySnapshotStore,
  RefreshSupersededError,
  SnapshotStore,
  SnapshotStoreHealth,
  StoredSnapshot,
} from './SnapshotStore';

/** @public */
export interface MeshSnapshotState extends StoredSnapshot {
  index: SnapshotIndex;
  /** True before the first refresh published a snapshot: every cluster is `pending`. */
  pending?: boolean;
}

/**
 * Holds the mesh snapshot. Request handlers call `current()` only; clusters are read by `refresh()`.
 *
 * @public
 */
export interface MeshSnapshotService {
  /** The latest snapshot, its findings and indexes. Never calls a cluster. */
  current(): Promise<MeshSnapshotState>;
  /**
   * Reads every cluster now and resolves with the new snapshot. Concurrent calls share one refresh; with several
   * replicas, the replica that holds the refresh task does the reading.
   */
  refresh(): Promise<MeshSnapshotState>;
  /**
   * Starts a refresh like `refresh()`, but resolves as soon as it has started (here, or handed to the replica
   * that claims the scheduler's task), with `done` for its snapshot. Rejects with a `ServiceUnavailableError`
   * when it cannot be started, e.g. the plugin database that coordinates the replicas is down. Services without
   * it (test doubles) are started with `refresh()`.
   */
  requestRefresh?(): Promise<StartedRefresh>;
  /**
   * Starts the periodic refresh (the plugin calls it once at init): a global scheduler task by default, so that
   * one replica reads the clusters per interval. `afterRefresh` runs after each refresh this replica ran.
   * Services without their own refresh (test doubles) leave it out.
   */
  start?(options?: MeshSnapshotStartOptions): Promise<void>;
  /** The snapshot store as last seen (never queries); for `/health` and `/ready`. */
  health?(): SnapshotStoreHealth;
  /** Per-cluster progress of the refresh in progress (or the last one); absent in services without it. */
  progress?(): Promise<RefreshProgress>;
}

/** @public */
export interface StartedRefresh {
  /** Resolves with the refreshed snapshot (rejects as `refresh()` does). */
  done: Promise<MeshSnapshotState>;
}

/** @public */
export interface MeshSnapshotStartOptions {
  afterRefresh?: () => Promise<void>;
}

export interface MeshSnapshotServiceOptions {
  logger: LoggerService;
  config: Pick<
    ServiceMeshConfig,
    'managementCluster' | 'clusterTimeoutSeconds'
  > &
    Partial<Pick<ServiceMeshConfig, 'mode' | 'refreshIntervalSeconds'>>;
  /** Watch mode: how long after a change the snapshot is published (changes in between join it). Default 500. */
  watchDebounceMs?: number;
  /** Which clusters to read (asked at every refresh: the catalog or GKE may add some) and clients for them. */
  clusters: Pick<ServiceMeshClustersService, 'listClusters' | 'createClient'>;
  /** istiod's own view: read or not, its timeout, the MESH015 threshold. */
  istiod?: IstiodSettings;
  store?: SnapshotStore;
  /**
   * When set, `refresh()` triggers the scheduler's refresh task (run by whichever replica claims it) and waits
   * for the snapshot it publishes; the task itself calls `runRefresh`. Without it, `refresh()` reads here.
   */
  coordinator?: RefreshTrigger;
  /** Schedules the periodic refresh for `start()`: the task calls the given function once per interval. */
  schedule?: (run: (run?: RefreshRun) => Promise<void>) => Promise<void>;
  /** The analysis run once per refresh; analyzeMesh from the common package by default. */
  analyze?: (snapshot: MeshSnapshot, now: Date) => Finding[];
  now?: () => Date;
  /** Records each refresh run's per-cluster progress (`GET /refresh`). */
  progress?: RefreshProgressTracker;
}

export class DefaultMeshSnapshotService implements MeshSnapshotService {
  readonly #logger: LoggerService;
  readonly #clusters: MeshSnapshotServiceOptions['clusters'];
  /** The clusters of the last listing, for a refresh whose listing fails and for the snapshot before the first. */
  #lastList: MeshClusterList | undefined;
  readonly #managementCluster?: string;
  readonly #timeoutMs: number;
  readonly #istiod: IstiodSettings;
  readonly #store: SnapshotStore;
  readonly #coordinator?: RefreshTrigger;
  readonly #schedule?: (
    run: (run?: RefreshRun) => Promise<void>,
  ) => Promise<void>;
  #started = false;
  readonly #analyze: (snapshot: MeshSnapshot, now: Date) => Finding[];
  readonly #now: () => Date;
  readonly #progress?: RefreshProgressTracker;
  #inFlight: Promise<MeshSnapshotState> | undefined;
  #waiting: Promise<StartedRefresh> | undefined;
  #cached: { snapshot: MeshSnapshot; state: MeshSnapshotState } | undefined;
  /** Watch mode: the informers of every cluster this replica read. */
  readonly #watches?: ClusterWatches;
  readonly #debounceMs: number;
  #changeTimer: NodeJS.Timeout | undefined;
  #afterRefresh?: () => Promise<void>;
  #stopping = false;

  static create(
    options: MeshSnapshotServiceOptions,
  ): DefaultMeshSnapshotService {
    return new DefaultMeshSnapshotService(options);
  }

  private constructor(options: MeshSnapshotServiceOptions) {
    this.#logger = options.logger;
    this.#clusters = options.clusters;
    this.#managementCluster = options.config.managementCluster;
    this.#timeoutMs = options.config.clusterTimeoutSeconds * 1000;
    this.#istiod = options.istiod ?? DEFAULT_ISTIOD_SETTINGS;
    this.#store = options.store ?? new InMemorySnapshotStore();
    this.#coordinator = options.coordinator;
    this.#schedule = options.schedule;
    this.#analyze =
      options.analyze ??
      ((snapshot, now) =>
        analyzeMesh(snapshot, {
          now,
          // The analysis is pure: a crashed check comes back as MESH099 and here, to be logged.
          onCheckError: ({ check, error }) =>
            this.#logger.error(
              `Service mesh analysis: check ${check} failed: ${error.message}`,
              error,
            ),
          staleProxyMinutes: this.#istiod.staleProxyMinutes,
        }));
    this.#now = options.now ?? (() => new Date());
    this.#progress = options.progress;
    this.#debounceMs = options.watchDebounceMs ?? 500;
    if (options.config.mode === 'watch') {
      this.#watches = new ClusterWatches({
        logger: this.#logger,
        createClient: cluster => this.#clusters.createClient(cluster),
        settings: {
          requestTimeoutMs: this.#timeoutMs,
          pollIntervalMs: (options.config.refreshIntervalSeconds ?? 30) * 1000,
        },
        onChange: () => this.#changed(),
      });
    }
  }

  /** Watch mode: the informers' states (`cluster/resource → state`); empty in poll mode. */
  watchStates(): Record<string, string> {
    return this.#watches?.states() ?? {};
  }

  /** Stops every watch (shutdown). */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#changeTimer);
    this.#changeTimer = undefined;
    await this.#watches?.stop();
  }

  /** An informer applied a change: publish once the burst is over (debounced), off the request path. */
  #changed(): void {
    if (this.#changeTimer || this.#stopping) return;
    this.#changeTimer = setTimeout(() => {
      this.#changeTimer = undefined;
      this.#publishChanges().catch(error =>
        this.#logger.warn(`Publishing watched changes failed: ${error}`),
      );
    }, this.#debounceMs);
    this.#changeTimer.unref?.();
  }

  async #publishChanges(): Promise<void> {
    // A refresh in flight may have read the informers before the change: publish once more after it.
    while (this.#inFlight) await this.#inFlight.catch(() => undefined);
    await this.#refreshHere(undefined, true);
    await this.#afterRefresh?.();
  }

  async progress(): Promise<RefreshProgress> {
    return this.#progress
      ? this.#progress.get()
      : { state: 'idle', clusters: [] };
  }

  health(): SnapshotStoreHealth {
    return (
      this.#store.health?.() ?? {
        status: 'ok',
        hasSnapshot: this.#cached !== undefined,
      }
    );
  }

  async current(): Promise<MeshSnapshotState> {
    const stored = await this.#stored();
    if (stored) return this.#withIndex(stored);
    // Nothing to serve and the store cannot tell whether there is a snapshot: not an empty mesh.
    const health = this.#store.health?.();
    if (health?.status === 'failing') {
      throw new ServiceUnavailableError(
        `The mesh snapshot store (the plugin database) is unavailable and this replica holds no snapshot yet: ${health.error}`,
      );
    }
    return {
      ...this.#withIndex({
        snapshot: await this.#emptySnapshot(),
        findings: [],
      }),
      pending: true,
    };
  }

  /** The stored snapshot, unless a shared store holds one written in another format version. */
  async #stored(latest = false): Promise<StoredSnapshot | undefined> {
    const stored = await this.#store.get({ latest });
    return stored?.snapshot.schemaVersion === MESH_SNAPSHOT_SCHEMA_VERSION
      ? stored
      : undefined;
  }

  async start(options: MeshSnapshotStartOptions = {}): Promise<void> {
    if (this.#started || !this.#schedule) return;
    this.#started = true;
    this.#afterRefresh = options.afterRefresh;
    await this.#schedule(async run => {
      await this.runRefresh(run);
      await options.afterRefresh?.();
    });
  }

  refresh(): Promise<MeshSnapshotState> {
    return this.requestRefresh().then(started => started.done);
  }

  async requestRefresh(): Promise<StartedRefresh> {
    if (!this.#coordinator) return { done: this.#refreshHere() };
    if (!this.#waiting) {
      // Concurrent callers share one trigger and one wait, until the refreshed snapshot is there.
      const waiting = this.#refreshByTask();
      this.#waiting = waiting;
      const clear = () => {
        if (this.#waiting === waiting) this.#waiting = undefined;
      };
      waiting.then(({ done }) => done.then(clear, clear), clear);
    }
    return this.#waiting;
  }

  /**
   * The scheduled refresh: reads every cluster and publishes, unless the run is aborted or loses its lease first
   * (then the snapshot is left as it is: another run publishes).
   */
  async runRefresh(run?: RefreshRun): Promise<void> {
    try {
      await this.#refreshHere(run);
    } catch (error) {
      if (error instanceof RefreshSupersededError || run?.signal.aborted) {
        this.#logger.info(`Mesh refresh not published: ${error}`);
        return;
      }
      throw error;
    }
  }

  /** `fromWatch`: a publication of watched changes, which reuses istiod's view of the last scheduled read. */
  #refreshHere(
    run?: RefreshRun,
    fromWatch = false,
  ): Promise<MeshSnapshotState> {
    if (!this.#inFlight) {
      this.#inFlight = this.#refresh(run, fromWatch).finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  /**
   * Triggers the refresh task; `done` waits for a snapshot newer than the one stored when it was called. Rejects
   * when the task cannot be triggered (the scheduler's database is the plugin's).
   */
  async #refreshByTask(): Promise<StartedRefresh> {
    const coordinator = this.#coordinator!;
    const before = await this.#store.get({ latest: true });
    let triggered: boolean;
    try {
      triggered = await coordinator.trigger();
    } catch (error) {
      throw new ServiceUnavailableError(
        `The mesh refresh cannot be started: the plugin database (which coordinates the replicas) is unavailable: ${
          error instanceof Error ? error.message : error
        }`,
      );
    }
    if (!triggered) return { done: this.#refreshHere() };
    return { done: this.#waitForNewer(before) };
  }

  async #waitForNewer(
    before: StoredSnapshot | undefined,
  ): Promise<MeshSnapshotState> {
    const coordinator = this.#coordinator!;
    const deadline = Date.now() + coordinator.waitTimeoutMs;
    for (;;) {
      const stored = await this.#stored(true);
      if (stored && stored !== before) return this.#withIndex(stored);
      if (coordinator.shutdownSignal?.aborted) {
        throw new ServiceUnavailableError(
          'This replica is shutting down; the refresh goes on in another replica',
        );
      }
      if (Date.now() > deadline) {
        throw new ServiceUnavailableError(
          'The mesh refresh did not complete in time; the snapshot is unchanged',
        );
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }

  async #refresh(
    run?: RefreshRun,
    fromWatch = false,
  ): Promise<MeshSnapshotState> {
    // A publication of watched changes reads the informers only: the cluster list is the last one.
    const list =
      fromWatch && this.#lastList ? this.#lastList : await this.#listClusters();
    this.#watches?.retain(new Set(list.clusters.map(c => c.name)));
    // A publication rebuilds the clusters whose watches changed; the others keep their last snapshot.
    const changed = fromWatch ? this.#watches?.takeChanged() : undefined;
    this.#progress?.begin(list.clusters.map(c => c.name));
    let published: string | undefined;
    try {
      const state = await this.#refreshClusters(list, run, fromWatch, changed);
      published = state.snapshot.generatedAt;
      return state;
    } finally {
      this.#progress?.end(published);
    }
  }

  /** The clusters to read; if even listing fails (no service credentials for the catalog), the last list. */
  async #listClusters(): Promise<MeshClusterList> {
    try {
      this.#lastList = await this.#clusters.listClusters();
    } catch (error) {
      this.#logger.error(`Listing the mesh clusters failed: ${error}`);
      if (!this.#lastList) throw error;
    }
    return this.#lastList;
  }

  async #refreshClusters(
    list: MeshClusterList,
    run?: RefreshRun,
    fromWatch = false,
    changed?: Set<string>,
  ): Promise<MeshSnapshotState> {
    const started = Date.now();
    const previous = (await this.#stored(true))?.snapshot;
    const previousByName = new Map(previous?.clusters.map(c => [c.name, c]));

    const clusters = await Promise.all(
      list.clusters.map(async cluster => {
        const kept = previousByName.get(cluster.name);
        if (changed && !changed.has(cluster.name) && kept?.data) {
          this.#progress?.finished(kept, kept.status === 'ok');
          return kept;
        }
        this.#progress?.reading(cluster.name);
        const read = await this.#readCluster(
          cluster,
          previousByName.get(cluster.name),
          run?.signal,
          fromWatch,
        );
        this.#progress?.finished(read, read.status === 'ok');
        return read;
      }),
    );
    fillNetworksFromServiceMeshes(clusters);
    const now = this.#now();
    // The one validation of what the collectors produced: the analysis and the views trust it from here on.
    const snapshot: MeshSnapshot = parseSnapshot({
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
      generatedAt: now.toISOString(),
      ...(this.#managementCluster
        ? { managementCluster: this.#managementCluster }
        : {}),
      clusters,
      ...(list.sourceErrors.length ? { sourceErrors: list.sourceErrors } : {}),
    });

    let findings: Finding[] = [];
    try {
      findings = this.#analyze(snapshot, now);
    } catch (error) {
      // A bug in one check must not cost the snapshot itself.
      this.#logger.error(`Mesh analysis failed: ${error}`);
    }
    const stored = { snapshot, findings };
    run?.signal.throwIfAborted();
    await this.#store.set(stored, { runId: run?.runId, signal: run?.signal });

    for (const cluster of clusters) {
      const before = previousByName.get(cluster.name)?.status;
      if (
        cluster.status !== before &&
        (before !== undefined || cluster.status !== 'ok')
      ) {
        this.#logger.info(
          `Cluster ${cluster.name}: ${before ?? 'new'} → ${cluster.status}${
            cluster.error ? ` (${cluster.error.message})` : ''
          }`,
        );
      }
    }
    this.#logger.debug(
      `Mesh snapshot refreshed in ${Date.now() - started} ms: ${
        clusters.length
      } clusters, ${findings.length} findings`,
    );
    return this.#withIndex(stored);
  }

  async #readCluster(
    cluster: MeshCluster,
    previous?: ClusterSnapshot,
    signal?: AbortSignal,
    fromWatch = false,
  ): Promise<ClusterSnapshot> {
    const role =
      cluster.name === this.#managementCluster ? 'management' : 'member';
    const attemptAt = this.#now();
    const started = Date.now();
    // Aborting cancels every request of this cluster, so a slow cluster leaves no work behind that could
    // finish later; the result of this attempt is only ever used by this refresh.
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = this.#timeoutMs / 1000;
        reject(
          new ClusterReadError('unreachable', {
            code: 'MESH090',
            message: `Timed out after ${seconds}s reading cluster ${cluster.name}`,
          }),
        );
        controller.abort(new Error(`timed out after ${seconds}s`));
      }, this.#timeoutMs);
    });

    try {
      const read = (async () => {
        // A cluster that cannot be read server-side gets its finding; nothing is sent to it.
        if (cluster.problem) throw new ClusterAccessError(cluster.problem);
        const client = this.#clusters.createClient(cluster, {
          signal: controller.signal,
        });
        const collected = await collectCluster(client, {
          role,
          readServiceMeshes: !this.#managementCluster || role === 'management',
          ...(this.#watches
            ? { watched: this.#watches.forCluster(cluster) }
            : {}),
          // By default half the cluster's budget: a slow istiod costs its own view, never the cluster's lists.
          // istiod's debug endpoints cannot be watched: read on the schedule, reused by watch publications.
          ...(this.#istiod.enabled && !fromWatch
            ? {
                istiod: {
                  transport: this.#istiod.transport,
                  timeoutMs: this.#istiod.timeoutSeconds
                    ? Math.min(
                        this.#istiod.timeoutSeconds * 1000,
                        this.#timeoutMs,
                      )
                    : Math.max(1000, this.#timeoutMs / 2),
                  // syncz on its own interval, clusterz every time (istiod.ts reusableProxySync)
                  proxySync: {
                    intervalMs:
                      (this.#istiod.proxySyncIntervalSeconds ?? 0) * 1000,
                    now: attemptAt,
                    previous: previous?.data?.istiod,
                  },
                },
              }
            : {}),
        });
        const istiod = previous?.data?.istiod;
        return fromWatch && istiod && !collected.istiod
          ? { ...collected, istiod }
          : collected;
      })();
      const data = await Promise.race([read, timeout]);
      return {
        name: cluster.name,
        role,
        status: 'ok',
        lastSyncedAt: attemptAt.toISOString(),
        lastAttemptAt: attemptAt.toISOString(),
        durationMs: Date.now() - started,
        ...clusterPlacement(data),
        data,
      };
    } catch (error) {
      const failure = classifyFailure(error);
      const attempt = {
        lastAttemptAt: attemptAt.toISOString(),
        durationMs: Date.now() - started,
      };
      if (previous?.data) {
        return {
          ...previous,
          role,
          status: 'stale',
          error: failure.error,
          ...attempt,
        };
      }
      return {
        name: cluster.name,
        role,
        status: failure.status,
        error: failure.error,
        ...attempt,
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }

  async #emptySnapshot(): Promise<MeshSnapshot> {
    // Before the first refresh: every located cluster, not read yet (`pending`).
    const list =
      this.#lastList ?? (await this.#listClusters().catch(() => undefined));
    return {
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
      generatedAt: this.#now().toISOString(),
      ...(this.#managementCluster
        ? { managementCluster: this.#managementCluster }
        : {}),
      clusters: (list?.clusters ?? []).map(c => ({
        name: c.name,
        role: c.name === this.#managementCluster ? 'management' : 'member',
        status: 'pending',
      })),
    };
  }

  #withIndex(stored: StoredSnapshot): MeshSnapshotState {
    if (this.#cached?.snapshot !== stored.snapshot) {
      this.#cached = {
        snapshot: stored.snapshot,
        state: { ...stored, index: SnapshotIndex.build(stored.snapshot) },
      };
    }
    return this.#cached.state;
  }
}

/** The status and error a failed cluster read leaves behind, by the one classification of cluster access. */
export function classifyFailure(error: unknown): {
  status: 'unreachable' | 'unauthorized' | 'error';
  error: CollectionError;
} {
  if (error instanceof ClusterReadError)
    return { status: error.status, error: error.error };
  const failure = classifyClusterFailure(error);
  return { status: clusterStatusOf(failure.kind), error: failure.error };
}

/** The cluster's region (most nodes) and network (the precedence of -common's dataNetwork). */
function clusterPlacement(data: ClusterMeshData): {
  region?: string;
  network?: string;
} {
  const regions = new Map<string, number>();
  for (const l of data.nodes.byLocality)
    regions.set(l.region, (regions.get(l.region) ?? 0) + l.nodes);
  const region = [...regions.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const network = dataNetwork(data);
  return { ...(region ? { region } : {}), ...(network ? { network } : {}) };
}

/** A member with no network of its own takes the one its ServiceMesh resource declares. */
function fillNetworksFromServiceMeshes(clusters: ClusterSnapshot[]): void {
  const declared = serviceMeshNetworks(clusters);
  for (const c of clusters) {
    if (!c.network && declared.has(c.name)) c.network = declared.get(c.name);
  }
}
