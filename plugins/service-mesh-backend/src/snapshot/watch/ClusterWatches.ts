/*
 * Watch mode (`serviceMesh.mode: watch`): per cluster, one ResourceInformer per resource the list path reads (the
 * one table, collectors/resources.ts RESOURCES), started at the cluster's first read and stopped when the cluster
 * leaves the list. A refresh then reads each resource from its informer instead of listing it; every change an
 * informer applies is announced (the snapshot service debounces and publishes).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  KubeApiError,
  KubeClient,
  MeshCluster,
} from '@internal/plugin-service-mesh-node';
import {
  ResourceKey,
  RESOURCES,
  ResourceSpec,
} from '../../collectors/resources';
import type {
  WatchedRead,
  WatchedResources,
} from '../../collectors/collectCluster';
import {
  DEFAULT_INFORMER_SETTINGS,
  InformerSettings,
  ResourceInformer,
} from './ResourceInformer';

export interface ClusterWatchesOptions {
  logger: LoggerService;
  /** A long-lived client per cluster (no per-refresh signal): watches outlive refreshes. */
  createClient: (cluster: MeshCluster) => KubeClient;
  settings: Pick<InformerSettings, 'requestTimeoutMs' | 'pollIntervalMs'> &
    Partial<InformerSettings>;
  /** Called after every change an informer applied (a watch event or a relist that changed something). */
  onChange: (cluster: string) => void;
}

interface WatchedCluster {
  /** What the informers were started for: a cluster whose URL or credentials source changed starts anew. */
  identity: string;
  informers: Map<ResourceKey, ResourceInformer>;
}

export class ClusterWatches {
  readonly #options: ClusterWatchesOptions;
  readonly #settings: InformerSettings;
  readonly #clusters = new Map<string, WatchedCluster>();
  /** After stop(): nothing is watched any more (a refresh still running lists instead). */
  #stopped = false;
  /** Clusters whose informers changed since the last `takeChanged()`. */
  #changed = new Set<string>();

  constructor(options: ClusterWatchesOptions) {
    this.#options = options;
    this.#settings = { ...DEFAULT_INFORMER_SETTINGS, ...options.settings };
  }

  /** The cluster's watched resources, its informers started at the first call for these keys. */
  forCluster(cluster: MeshCluster): WatchedResources {
    // Shutting down: a refresh or publication still running must not start watches that would keep the process.
    if (this.#stopped) return { read: async () => undefined };
    const identity = `${cluster.url}\n${cluster.authProvider}\n${
      cluster.kubeconfig?.path ?? ''
    }\n${cluster.kubeconfig?.context ?? ''}`;
    let watched = this.#clusters.get(cluster.name);
    if (watched && watched.identity !== identity) {
      this.#stopCluster(cluster.name);
      watched = undefined;
    }
    if (!watched) {
      watched = { identity, informers: new Map() };
      this.#clusters.set(cluster.name, watched);
      this.#options.logger.info(
        `Watching cluster ${cluster.name} (serviceMesh.mode watch): one list, then one watch per resource`,
      );
    }
    const { informers } = watched;
    return {
      read: key => {
        let informer = informers.get(key);
        if (!informer) {
          informer = this.#start(cluster, key);
          informers.set(key, informer);
        }
        return readInformer(informer);
      },
    };
  }

  /** The clusters whose informers changed since the last call (a publication rebuilds only these). */
  takeChanged(): Set<string> {
    const changed = this.#changed;
    this.#changed = new Set();
    return changed;
  }

  /** Stops the watches of clusters that are no longer read. */
  retain(names: Set<string>): void {
    for (const name of [...this.#clusters.keys()])
      if (!names.has(name)) this.#stopCluster(name);
  }

  /** The informers' states, for logs and tests: `cluster/resource → state`. */
  states(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, c] of this.#clusters)
      for (const [key, informer] of c.informers)
        out[`${name}/${key}`] = informer.state;
    return out;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const all = [...this.#clusters.values()].flatMap(c => [
      ...c.informers.values(),
    ]);
    this.#clusters.clear();
    await Promise.all(all.map(i => i.stop()));
  }

  #start(cluster: MeshCluster, key: ResourceKey): ResourceInformer {
    const informer = new ResourceInformer({
      key,
      spec: RESOURCES[key] as ResourceSpec,
      client: this.#clientOf(cluster),
      logger: this.#options.logger.child({ cluster: cluster.name }),
      settings: this.#settings,
      onChange: () => {
        if (this.#stopped) return;
        this.#changed.add(cluster.name);
        this.#options.onChange(cluster.name);
      },
    });
    informer.start();
    return informer;
  }

  readonly #clients = new Map<string, KubeClient>();
  #clientOf(cluster: MeshCluster): KubeClient {
    let client = this.#clients.get(cluster.name);
    if (!client) {
      client = this.#options.createClient(cluster);
      this.#clients.set(cluster.name, client);
    }
    return client;
  }

  #stopCluster(name: string): void {
    const c = this.#clusters.get(name);
    this.#clusters.delete(name);
    this.#clients.delete(name);
    for (const informer of c?.informers.values() ?? [])
      informer.stop().catch(() => {});
  }
}

/** What a refresh reads of one informer; undefined: list the resource now (not listed yet). */
async function readInformer(
  informer: ResourceInformer,
): Promise<WatchedRead | undefined> {
  await informer.firstList();
  if (!informer.listed) return undefined;
  const failure: KubeApiError | undefined = informer.failure;
  if (failure) return { error: failure };
  if (informer.listMalformed) return { malformed: true };
  return { items: informer.records() };
}
