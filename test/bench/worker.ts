/*
 * The in-process half of the benchmark, run with the Backstage CLI's node transform and --expose-gc:
 * - `refresh`: a full snapshot refresh by the plugin's own DefaultMeshSnapshotService (list, map, analyse, index),
 *   timed in-process;
 * - `floor`: the same list calls made with @kubernetes/client-node's typed APIs, every cluster and kind in
 *   parallel, paginated like the plugin (limit 500), results dropped: the floor the issue sets;
 * - `rawFloor`: the same list calls over node:http with JSON.parse only, the cheapest possible client;
 * - `memory`: V8 heap after GC with and without the last snapshot held, in this process.
 * The orchestrator (run.mjs) drives it over IPC.
 */
import http from 'node:http';
import { ConfigReader } from '@backstage/config';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { readServiceMeshConfig } from '../../plugins/service-mesh-backend/src/cluster/config';
import {
  DefaultServiceMeshClustersService,
  MeshCluster,
  PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
} from '../../plugins/service-mesh-node/src';
import {
  listPath,
  RESOURCES,
  ResourceKey,
  ResourceSpec,
} from '../../plugins/service-mesh-backend/src/collectors/resources';

import {
  analyzeMesh,
  MeshSnapshot,
  SnapshotIndex,
} from '@internal/plugin-service-mesh-common';
import { shareSnapshotValues } from '../../plugins/service-mesh-backend/src/collectors/intern';
import {
  DefaultMeshSnapshotService,
  MeshSnapshotState,
} from '../../plugins/service-mesh-backend/src/snapshot/MeshSnapshotService';
import { InMemorySnapshotStore } from '../../plugins/service-mesh-backend/src/snapshot/SnapshotStore';
import { DEFAULT_PROXY_SYNC_INTERVAL_SECONDS } from '../../plugins/service-mesh-backend/src/collectors/istiodConfig';

const PAGE = 500;
const gc = (globalThis as { gc?: () => void }).gc!;
const silentLogger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
} as any;

let config:
  | (ReturnType<typeof readServiceMeshConfig> & {
      access: DefaultServiceMeshClustersService;
      clusters: MeshCluster[];
    })
  | undefined;
let held: { service?: DefaultMeshSnapshotService; state?: MeshSnapshotState } =
  {};

function listsOf(
  clusterName: string,
): Array<{ key: ResourceKey; spec: ResourceSpec }> {
  const management = config!.managementCluster;
  const keys = (Object.keys(RESOURCES) as ResourceKey[]).filter(k =>
    clusterName === management
      ? k === 'serviceMeshes'
      : k !== 'serviceMeshes' || !management,
  );
  return keys.map(key => ({ key, spec: RESOURCES[key] as ResourceSpec }));
}

function metadataOnly(): {
  middleware: [];
  promiseMiddleware: any[];
  middlewareMergeStrategy: 'append';
} {
  return {
    middleware: [],
    promiseMiddleware: [
      {
        pre: async (ctx: RequestContext) => {
          ctx.setHeaderParam('Accept', PARTIAL_OBJECT_METADATA_LIST_ACCEPT);
          return ctx;
        },
        post: async (ctx: unknown) => ctx,
      },
    ],
    middlewareMergeStrategy: 'append',
  } as any;
}

/** The floors retry a page once or twice on a dropped connection, as the plugin's client does. */
async function retrying<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const text = String((error as Error)?.message ?? error);
      if (
        attempt >= 2 ||
        !/ECONNRESET|socket hang up|EPIPE|ECONNREFUSED/i.test(text)
      )
        throw error;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}

/** One kind listed with client-node's typed API, page by page; returns the item count. */
async function listTyped(kc: KubeConfig, spec: ResourceSpec): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const options = spec.metadataOnly ? metadataOnly() : undefined;
  let count = 0;
  let token: string | undefined;
  do {
    const page = {
      limit: PAGE,
      _continue: token,
      labelSelector: spec.labelSelector,
    };
    const list: {
      items: unknown[];
      metadata?: { _continue?: string; continue?: string };
    } = await retrying(() =>
      listPage(spec, page, options, { core, apps, discovery, custom }),
    );
    count += list.items.length;
    const meta = list.metadata ?? {};
    token = meta._continue ?? meta.continue;
  } while (token);
  return count;
}

async function listPage(
  spec: ResourceSpec,
  page: { limit: number; _continue?: string; labelSelector?: string },
  options: unknown,
  {
    core,
    apps,
    discovery,
    custom,
  }: {
    core: CoreV1Api;
    apps: AppsV1Api;
    discovery: DiscoveryV1Api;
    custom: CustomObjectsApi;
  },
): Promise<{
  items: unknown[];
  metadata?: { _continue?: string; continue?: string };
}> {
  const token = page._continue;
  let list: {
    items: unknown[];
    metadata?: { _continue?: string; continue?: string };
  };
  {
    switch (spec.resource) {
      case 'deployments':
        list = await apps.listDeploymentForAllNamespaces(page);
        break;
      case 'configmaps':
        list = await core.listNamespacedConfigMap({
          ...page,
          namespace: spec.namespace!,
        });
        break;
      case 'namespaces':
        list = await core.listNamespace(page);
        break;
      case 'services':
        list = await core.listServiceForAllNamespaces(page);
        break;
      case 'secrets':
        list = await core.listNamespacedSecret(
          { ...page, namespace: spec.namespace! },
          options as any,
        );
        break;
      case 'nodes':
        list = await core.listNode(page, options as any);
        break;
      case 'pods':
        list = await core.listPodForAllNamespaces(page);
        break;
      case 'endpointslices':
        list = await discovery.listEndpointSliceForAllNamespaces(page);
        break;
      default:
        list = await custom.listClusterCustomObject({
          group: spec.group,
          version: spec.versions[0],
          plural: spec.resource,
          limit: PAGE,
          _continue: token,
        });
    }
  }
  return list;
}

/** One kind listed over node:http with JSON.parse only; returns items and bytes. */
async function listRaw(
  agent: http.Agent,
  url: string,
  token: string,
  spec: ResourceSpec,
): Promise<{ items: number; bytes: number; pages: number }> {
  let items = 0;
  let bytes = 0;
  let pages = 0;
  let cont: string | undefined;
  do {
    pages++;
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (spec.labelSelector) q.set('labelSelector', spec.labelSelector);
    if (cont) q.set('continue', cont);
    const body: any = await retrying(
      () =>
        new Promise((resolve, reject) => {
          http
            .get(
              `${url}${listPath(spec, spec.versions[0])}?${q}`,
              {
                agent,
                headers: {
                  Authorization: `Bearer ${token}`,
                  Accept: spec.metadataOnly
                    ? PARTIAL_OBJECT_METADATA_LIST_ACCEPT
                    : 'application/json',
                },
              },
              res => {
                const chunks: Buffer[] = [];
                res.on('data', c => chunks.push(c));
                res.on('end', () => {
                  const buf = Buffer.concat(chunks);
                  bytes += buf.length;
                  if ((res.statusCode ?? 0) >= 400)
                    reject(
                      new Error(
                        `${res.statusCode} ${buf.toString().slice(0, 200)}`,
                      ),
                    );
                  else resolve(JSON.parse(buf.toString('utf8')));
                });
                res.on('error', reject);
              },
            )
            .on('error', reject);
        }),
    );
    items += body.items.length;
    cont = body.metadata?.continue || undefined;
  } while (cont);
  return { items, bytes, pages };
}

/** Heap used after full GCs, with finalizers (the shared-value table's cleanup) given a turn in between. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  gc();
  return process.memoryUsage().heapUsed;
}

const ops: Record<string, (...args: any[]) => Promise<unknown> | unknown> = {
  async configure(fragment: object, serviceMesh: object = {}) {
    const data = fragment as { serviceMesh?: object };
    const reader = new ConfigReader({
      ...data,
      // a refresh here is one full read of every cluster (poll), compared with the floor's lists; watch mode (the
      // plugin's default) is measured by the watch section against a running backend
      serviceMesh: { mode: 'poll', ...data.serviceMesh, ...serviceMesh },
    });
    const access = DefaultServiceMeshClustersService.fromConfig({
      config: reader,
      logger: silentLogger,
    });
    config = {
      ...readServiceMeshConfig(reader),
      access,
      clusters: (await access.listClusters()).clusters,
    };
    return {
      clusters: config.clusters.length,
      timeoutSeconds: config.clusterTimeoutSeconds,
    };
  },

  async floor() {
    const started = performance.now();
    const counts = await Promise.all(
      config!.clusters.map(async c => {
        const kc = await config!.access.createKubeConfig(c);
        const n = await Promise.all(
          listsOf(c.name).map(({ spec }) => listTyped(kc, spec)),
        );
        return n.reduce((a, b) => a + b, 0);
      }),
    );
    return {
      ms: performance.now() - started,
      items: counts.reduce((a, b) => a + b, 0),
    };
  },

  async rawFloor() {
    const started = performance.now();
    // One keep-alive agent per cluster and run, as the plugin's client does.
    const results = await Promise.all(
      config!.clusters.map(async c => {
        const agent = new http.Agent({ keepAlive: true });
        try {
          return await Promise.all(
            listsOf(c.name).map(({ spec }) =>
              listRaw(
                agent,
                c.url,
                c.details.authMetadata.serviceAccountToken!,
                spec,
              ),
            ),
          );
        } finally {
          agent.destroy();
        }
      }),
    );
    const ms = performance.now() - started;
    const flat = results.flat();
    return {
      ms,
      items: flat.reduce((a, r) => a + r.items, 0),
      bytes: flat.reduce((a, r) => a + r.bytes, 0),
      // The requests a paginated read of each cluster needs: one per page of each list.
      pagesByCluster: Object.fromEntries(
        config!.clusters.map((c, i) => [
          c.name,
          results[i].reduce((a, r) => a + r.pages, 0),
        ]),
      ),
    };
  },

  /** A full refresh by a new snapshot service (nothing carried over); the service is held for `memory`. */
  async refresh(options: { istiod?: boolean; syncz?: 'due' | 'kept' } = {}) {
    // `kept`: the scheduled refresh between two syncz reads (serviceMesh.istiod.proxySyncIntervalSeconds): the
    // new service starts from the held snapshot in its store, so clusterz is read and syncz's last result is kept
    const store = new InMemorySnapshotStore();
    if (options.syncz === 'kept') {
      if (!held.state?.snapshot.clusters.some(c => c.data?.istiod?.length))
        throw new Error("syncz 'kept' needs a held refresh with istiod on");
      await store.set({
        snapshot: held.state.snapshot,
        findings: held.state.findings,
      });
    }
    held = {};
    const service = DefaultMeshSnapshotService.create({
      logger: silentLogger,
      config: config!,
      clusters: config!.access,
      store,
      // istiod's own view (a port-forward to /debug/clusterz and /debug/syncz) is on unless asked off, as in production
      istiod: {
        enabled: options.istiod ?? true,
        staleProxyMinutes: 5,
        proxySyncIntervalSeconds: DEFAULT_PROXY_SYNC_INTERVAL_SECONDS,
      },
    });
    const startedAt = Date.now();
    const started = performance.now();
    const state = await service.refresh();
    const ms = performance.now() - started;
    held = { service, state };
    const clusters = state.snapshot.clusters.map(c => ({
      name: c.name,
      status: c.status,
      durationMs: c.durationMs,
      services: c.data?.services.length ?? 0,
      workloads: c.data?.workloads.length ?? 0,
      endpoints: (c.data?.services ?? []).reduce(
        (n, s) => n + s.endpoints.reduce((m, g) => m + g.ready + g.notReady, 0),
        0,
      ),
      error: c.error?.message,
    }));
    const istiodViews = state.snapshot.clusters.flatMap(
      c => c.data?.istiod ?? [],
    );
    return {
      ms,
      findings: state.findings.length,
      clusters,
      istiod: {
        views: istiodViews.length,
        ok: istiodViews.filter(v => v.status === 'ok').length,
        proxies: istiodViews.reduce((n, v) => n + (v.proxies?.total ?? 0), 0),
        rows: istiodViews.reduce(
          (n, v) => n + (v.proxies?.rows.length ?? 0),
          0,
        ),
        // views whose syncz result was carried from the store's snapshot (not read by this refresh)
        synczKept: istiodViews.filter(
          v => v.proxiesReadAt && Date.parse(v.proxiesReadAt) < startedAt,
        ).length,
      },
    };
  },

  /** Heap after GC with the held snapshot, then without it. */
  async memory() {
    const withSnapshot = await settledHeap();
    held = {};
    const without = await settledHeap();
    return {
      withSnapshot,
      without,
      snapshotBytes: withSnapshot - without,
      rss: process.memoryUsage().rss,
    };
  },

  /**
   * The held snapshot's heap by ClusterMeshData key: each key's JSON size over all clusters, and the heap freed when
   * that key is dropped from every cluster (keys dropped one after another, largest JSON first, so a value shared by
   * two keys is counted for the later one); then what is left: the clusters' other fields, the index and findings,
   * and the service itself. Destroys the held snapshot (call last, after a fresh refresh).
   */
  async heapByKey() {
    let state: MeshSnapshotState | undefined = held.state!;
    const datas = state.snapshot.clusters.flatMap(c =>
      c.data ? [c.data] : [],
    );
    const keys = [...new Set(datas.flatMap(d => Object.keys(d)))];
    const byKey: Record<string, { jsonBytes: number; heapBytes: number }> = {};
    for (const key of keys)
      byKey[key] = {
        jsonBytes: datas.reduce(
          (n, d) =>
            n + Buffer.byteLength(JSON.stringify((d as any)[key] ?? null)),
          0,
        ),
        heapBytes: 0,
      };
    keys.sort((a, b) => byKey[b].jsonBytes - byKey[a].jsonBytes);
    const start = await settledHeap();
    let before = start;
    const freed = async () => {
      const after = await settledHeap();
      const delta = before - after;
      before = after;
      return delta;
    };
    const rest: Record<string, number> = {};
    // the service without its state (store, caches, clients), then the index, which references the data
    held = { state };
    rest.service = await freed();
    delete (state as any).index;
    rest.index = await freed();
    // the analysis's memos keyed by each cluster's data object (perClusterData): new objects, same values
    for (const c of state.snapshot.clusters) if (c.data) c.data = { ...c.data };
    datas.splice(
      0,
      datas.length,
      ...state.snapshot.clusters.flatMap(c => (c.data ? [c.data] : [])),
    );
    rest.dataMemos = await freed();
    for (const key of keys) {
      for (const d of datas) delete (d as any)[key];
      byKey[key].heapBytes = await freed();
    }
    delete (state as any).findings;
    rest.findings = await freed();
    held = {};
    state = undefined;
    datas.length = 0;
    // the clusters' status fields, the snapshot's envelope and memos keyed by the snapshot (reachability)
    rest.snapshotRest = await freed();
    return { byKey, totalBytes: start - before, rest };
  },

  /**
   * Where the refresh time and the snapshot heap go: the analysis and the index, rebuilt on the held snapshot; and
   * what a replica that reads the snapshot from the shared store holds: the decoded JSON and its index, as decoded
   * and after shareSnapshotValues. Releases the held snapshot.
   */
  async breakdown() {
    const state = held.state!;
    let started = performance.now();
    analyzeMesh(state.snapshot, { now: new Date() });
    const analyzeMs = performance.now() - started;
    let before = await settledHeap();
    started = performance.now();
    let index: SnapshotIndex | undefined = SnapshotIndex.build(state.snapshot);
    const indexMs = performance.now() - started;
    const indexBytes = (await settledHeap()) - before;
    const json = JSON.stringify({
      snapshot: state.snapshot,
      findings: state.findings,
    });
    index = undefined;
    held = {};
    let decoded: { snapshot: MeshSnapshot } | undefined;
    before = await settledHeap();
    decoded = JSON.parse(json);
    index = SnapshotIndex.build(decoded!.snapshot);
    const decodedBytes = (await settledHeap()) - before;
    decoded = undefined;
    index = undefined;
    before = await settledHeap();
    decoded = JSON.parse(json);
    shareSnapshotValues(decoded!.snapshot);
    index = SnapshotIndex.build(decoded!.snapshot);
    const decodedSharedBytes = (await settledHeap()) - before;
    return {
      analyzeMs,
      indexMs,
      indexBytes,
      snapshotJsonBytes: json.length,
      decodedBytes,
      decodedSharedBytes,
      keep: !!index && !!decoded,
    };
  },

  stop() {
    setImmediate(() => process.exit(0));
  },
};

process.on(
  'message',
  async (msg: { id: number; op: string; args?: unknown[] }) => {
    try {
      const result = await ops[msg.op](...(msg.args ?? []));
      process.send!({ id: msg.id, result: result ?? null });
    } catch (e) {
      process.send!({ id: msg.id, error: String((e as Error)?.stack ?? e) });
    }
  },
);
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
