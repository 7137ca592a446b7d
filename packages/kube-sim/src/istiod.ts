// istiod's debug endpoints (`/debug/clusterz`, `/debug/syncz` on the monitoring port 15014), reached through
// `pods/portforward` (portForward.ts: the connection arrives on istiod's loopback, as istioctl's does) or through
// the pod proxy subresource (`GET /api/v1/namespaces/<ns>/pods/<istiod-pod>:15014/proxy/debug/...`), generated
// from the scenario as istiod would report it:
// - /debug/clusterz (pilot/pkg/xds/debug.go `clusterz`, pkg/cluster/debug.go `DebugInfo`): the local cluster first
//   (empty secretName), then one row per data key of each Secret labelled istio/multiCluster=true in istiod's
//   namespace (pkg/kube/multicluster/secretcontroller.go: a key equal to the local CLUSTER_ID, or one already
//   registered by another secret, is ignored). The row's syncStatus is `synced` unless the Secret's annotation
//   `kube-sim.io/istiod-sync-status` says `syncing`, `timeout` or `closed` (pkg/kube/multicluster/cluster.go
//   `SyncStatus`); `kube-sim.io/istiod-ignored: "true"` leaves the secret out (a kubeconfig istiod cannot load).
// - /debug/syncz (debug.go `Syncz`, `SyncStatus`/`ResourceStatus`): every running pod with an istio-proxy container
//   whose revision (pod label istio.io/rev, else its namespace's, else `default`) is this istiod's, spread over
//   the revision's running istiod pods. Pod annotations shape the xDS state: `kube-sim.io/xds-state:
//   "EDS=stale,LDS=not-sent,CDS=error"` and `kube-sim.io/xds-since: "15m"` (age of the last push of those types);
//   the proxy version is the istio-proxy image tag (or `kube-sim.io/proxy-version`).
// Who may read them: like istiod >= 1.11, only callers on its loopback (debug.go `addDebugHandler` wraps every
// handler in `allowAuthenticatedOrLocalhost`; the API server's pod proxy dials from the API server's address and
// drops the caller's Authorization header), so the pod proxy gets `401` with an empty body, as from a real istiod.
// Faults (`faults.istiod`): latency, a status code, a malformed body, `debug: disabled` (ENABLE_DEBUG_ON_HTTP=false:
// Go's mux answers `404 page not found`), `debug: unauthenticated` (401 to every caller, loopback too) and
// `debug: open` (any caller is served, as istiod < 1.11 did: the pod proxy works).
import type { JsonObject } from './json.ts';
import { asObject, asString, getPath, isObject } from './json.ts';
import { seedOf } from './faults.ts';
import { ApiError } from './status.ts';
import type { ClusterStore } from './store.ts';
import type { IstiodFaults } from './types.ts';

export const ISTIOD_MONITORING_PORT = 15014;
const SYNC_STATUS_ANNOTATION = 'kube-sim.io/istiod-sync-status';
const IGNORED_ANNOTATION = 'kube-sim.io/istiod-ignored';
const XDS_STATE_ANNOTATION = 'kube-sim.io/xds-state';
const XDS_SINCE_ANNOTATION = 'kube-sim.io/xds-since';
const PROXY_VERSION_ANNOTATION = 'kube-sim.io/proxy-version';
const ZERO_TIME = '0001-01-01T00:00:00Z';

export const XDS_TYPE_URLS = {
  CDS: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  LDS: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  EDS: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  RDS: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
} as const;
type XdsShort = keyof typeof XDS_TYPE_URLS;

/** `/api/v1/namespaces/<ns>/pods/<[scheme:]name[:port]>/proxy[/<path>]`, or undefined. */
export function parsePodProxy(
  path: string,
): { namespace: string; pod: string; port?: number; path: string } | undefined {
  const m =
    /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/proxy(\/.*)?$/.exec(path);
  if (!m) return undefined;
  const parts = decodeURIComponent(m[2]).split(':');
  if (parts.length === 3) parts.shift(); // scheme
  return {
    namespace: decodeURIComponent(m[1]),
    pod: parts[0],
    port: parts[1] ? Number(parts[1]) : undefined,
    path: decodeURIComponent(m[3] ?? '/'),
  };
}

export interface ProxyAnswer {
  status: number;
  contentType: string;
  body: string;
}

const text = (status: number, body: string): ProxyAnswer => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body,
});
const json = (value: unknown): ProxyAnswer => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(value),
});

export interface PodInfo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  running: boolean;
  ip?: string;
  containers: JsonObject[];
}

function podInfo(obj: JsonObject): PodInfo {
  const meta = asObject(obj.metadata);
  const spec = asObject(obj.spec);
  const status = asObject(obj.status);
  return {
    name: asString(meta.name) ?? '',
    namespace: asString(meta.namespace) ?? '',
    labels: asObject(meta.labels) as Record<string, string>,
    annotations: asObject(meta.annotations) as Record<string, string>,
    running: status.phase === 'Running',
    ip: asString(status.podIP),
    containers: [
      ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
      ...(Array.isArray(spec.containers) ? spec.containers : []),
    ].filter(isObject),
  };
}

/** The monitoring port istioctl uses: annotation prometheus.io/port, else 15014 (pkg/kube/client.go FindIstiodMonitoringPort). */
function monitoringPort(p: PodInfo): number {
  const n = Number(p.annotations['prometheus.io/port']);
  return Number.isInteger(n) && n > 0 ? n : ISTIOD_MONITORING_PORT;
}

const revisionOf = (labels: Record<string, string>) =>
  labels['istio.io/rev'] || 'default';

function decode(store: ClusterStore, kind: string): JsonObject[] {
  const type = store.types().find(t => t.kind === kind && t.group === '');
  if (!type) return [];
  return store
    .list(type, {})
    .items.map(so => store.decode(type, 'v1', so) as JsonObject);
}

/** Who connects to istiod's port: a forward arrives on its loopback, the pod proxy from the API server. */
export type IstiodCaller = 'loopback' | 'apiserver';

/**
 * The istiod pod a request is for, as the API server and kubelet see it: an ApiError for a missing pod (404), a
 * pod that is not running, or a port nobody listens on (the dial failure, 503 on the pod proxy).
 */
export function dialIstiod(
  store: ClusterStore,
  target: { namespace: string; pod: string; port?: number },
): { pod: PodInfo; port: number } {
  const podType = store.types().find(t => t.kind === 'Pod' && t.group === '')!;
  const so = store.find(podType, target.namespace, target.pod);
  if (!so)
    throw new ApiError(404, 'NotFound', `pods "${target.pod}" not found`, {
      name: target.pod,
      kind: 'pods',
    });
  const pod = podInfo(store.decode(podType, 'v1', so));
  const port = target.port ?? 80;
  const dialError = () =>
    new ApiError(
      503,
      'ServiceUnavailable',
      `error trying to reach service: dial tcp ${
        pod.ip ?? '<none>'
      }:${port}: connect: connection refused`,
    );
  if (!pod.running || !pod.ip) throw dialError();
  if (pod.labels.app !== 'istiod' || port !== monitoringPort(pod))
    throw dialError();
  return { pod, port };
}

/** Serves one request to istiod's debug port; `ApiError`s are the API server's own answers (404 pod, 503 dial failures). */
export function serveIstiodProxy(
  store: ClusterStore,
  target: { namespace: string; pod: string; port?: number; path: string },
  query: URLSearchParams,
  faults: IstiodFaults,
  now: Date,
  caller: IstiodCaller,
): ProxyAnswer {
  const { pod } = dialIstiod(store, target);
  if (faults.status) return text(faults.status, 'istiod: injected failure\n');
  // ENABLE_DEBUG_ON_HTTP=false registers no /debug handlers: Go's mux answers 404 to anyone.
  if (faults.debug === 'disabled' || !target.path.startsWith('/debug/'))
    return text(404, '404 page not found\n');
  if (faults.debug === 'unauthenticated') return text(401, '');
  // allowAuthenticatedOrLocalhost: 401, no body, to a caller neither on loopback nor holding an Istio JWT.
  if (caller !== 'loopback' && faults.debug !== 'open') return text(401, '');

  const istiod = istiodContext(store, pod);
  let answer: ProxyAnswer;
  if (target.path === '/debug/clusterz') answer = json(clusterz(store, istiod));
  else if (target.path === '/debug/syncz')
    answer = json(syncz(store, istiod, query.get('namespace'), now));
  else return text(404, '404 page not found\n');
  if (faults.malformed)
    answer = { ...answer, body: answer.body.slice(0, answer.body.length / 2) };
  return answer;
}

interface IstiodContext {
  pod: PodInfo;
  revision: string;
  clusterId: string;
  /** Running istiod pods of this revision, sorted: proxies are spread over them. */
  peers: string[];
}

function envValue(containers: unknown, name: string): string | undefined {
  if (!Array.isArray(containers)) return undefined;
  for (const c of containers) {
    const env = asObject(c).env;
    if (!Array.isArray(env)) continue;
    const hit = env.find(e => asObject(e).name === name);
    if (hit) return asString(asObject(hit).value);
  }
  return undefined;
}

function istiodContext(store: ClusterStore, pod: PodInfo): IstiodContext {
  const revision = revisionOf(pod.labels);
  // CLUSTER_ID: the pod's env, else its Deployment's (pods in scenarios often omit env), else istiod's default.
  let clusterId = envValue(pod.containers, 'CLUSTER_ID');
  if (!clusterId) {
    const deploymentType = store
      .types()
      .find(t => t.kind === 'Deployment' && t.group === 'apps');
    for (const so of deploymentType
      ? store.list(deploymentType, { namespace: pod.namespace }).items
      : []) {
      const d = store.decode(deploymentType!, 'v1', so) as JsonObject;
      const labels = asObject(getPath(d, 'metadata.labels'));
      if (labels.app !== 'istiod' || revisionOf(labels as never) !== revision)
        continue;
      clusterId = envValue(
        getPath(d, 'spec.template.spec.containers'),
        'CLUSTER_ID',
      );
      if (clusterId) break;
    }
  }
  const peers = decode(store, 'Pod')
    .map(podInfo)
    .filter(
      p =>
        p.namespace === pod.namespace &&
        p.labels.app === 'istiod' &&
        p.running &&
        revisionOf(p.labels) === revision,
    )
    .map(p => p.name)
    .sort();
  return {
    pod,
    revision,
    clusterId: clusterId || 'Kubernetes',
    peers: peers.length ? peers : [pod.name],
  };
}

function clusterz(store: ClusterStore, istiod: IstiodContext) {
  const rows = [{ id: istiod.clusterId, secretName: '', syncStatus: 'synced' }];
  const seen = new Set([istiod.clusterId]);
  const secrets = decode(store, 'Secret')
    .filter(s => {
      const meta = asObject(s.metadata);
      return (
        meta.namespace === istiod.pod.namespace &&
        asObject(meta.labels)['istio/multiCluster'] === 'true' &&
        asObject(meta.annotations)[IGNORED_ANNOTATION] !== 'true'
      );
    })
    .sort((a, b) =>
      String(getPath(a, 'metadata.name')).localeCompare(
        String(getPath(b, 'metadata.name')),
      ),
    );
  for (const secret of secrets) {
    const meta = asObject(secret.metadata);
    const status =
      asString(asObject(meta.annotations)[SYNC_STATUS_ANNOTATION]) ?? 'synced';
    for (const id of Object.keys(asObject(secret.data)).sort()) {
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push({
        id,
        secretName: `${meta.namespace}/${meta.name}`,
        syncStatus: status,
      });
    }
  }
  return rows;
}

/** `15m`, `90s`, `2h` → milliseconds. */
function parseAge(value: string | undefined, fallbackMs: number): number {
  const m = /^(\d+)(s|m|h)$/.exec(value ?? '');
  if (!m) return fallbackMs;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's'];
}

function parseStates(value: string | undefined): Map<XdsShort, string> {
  const states = new Map<XdsShort, string>();
  for (const part of (value ?? '').split(',')) {
    const [type, state] = part.split('=').map(s => s.trim());
    if (type in XDS_TYPE_URLS && state) states.set(type as XdsShort, state);
  }
  return states;
}

function syncz(
  store: ClusterStore,
  istiod: IstiodContext,
  namespace: string | null,
  now: Date,
) {
  const namespaceRevision = new Map<string, string>();
  for (const ns of decode(store, 'Namespace')) {
    const labels = asObject(getPath(ns, 'metadata.labels'));
    const rev = asString(labels['istio.io/rev']);
    if (rev) namespaceRevision.set(String(getPath(ns, 'metadata.name')), rev);
  }
  const out: unknown[] = [];
  for (const pod of decode(store, 'Pod').map(podInfo)) {
    if (!pod.running || (namespace && pod.namespace !== namespace)) continue;
    const proxy = pod.containers.find(c => c.name === 'istio-proxy');
    if (!proxy) continue;
    const revision =
      pod.labels['istio.io/rev'] ??
      namespaceRevision.get(pod.namespace) ??
      'default';
    if (revision !== istiod.revision) continue;
    const id = `${pod.name}.${pod.namespace}`;
    const seed = seedOf(id);
    if (istiod.peers[seed % istiod.peers.length] !== istiod.pod.name) continue;
    out.push(syncEntry(pod, proxy, id, seed, istiod.clusterId, now));
  }
  return out;
}

function syncEntry(
  pod: PodInfo,
  proxy: JsonObject,
  id: string,
  seed: number,
  clusterId: string,
  now: Date,
) {
  const version =
    pod.annotations[PROXY_VERSION_ANNOTATION] ??
    /:([^:/@]+)$/.exec(asString(proxy.image) ?? '')?.[1] ??
    '';
  const states = parseStates(pod.annotations[XDS_STATE_ANNOTATION]);
  const sinceMs = parseAge(pod.annotations[XDS_SINCE_ANNOTATION], 600_000);
  const nonce = (n: number) => `${(seed + n).toString(16)}-${n}`;
  const resources: Record<string, object> = {};
  const legacy: Record<string, string> = {};
  const legacyKey = {
    CDS: 'cluster',
    LDS: 'listener',
    EDS: 'endpoint',
    RDS: 'route',
  };
  for (const [short, url] of Object.entries(XDS_TYPE_URLS) as Array<
    [XdsShort, string]
  >) {
    const state = states.get(short) ?? 'synced';
    const fresh = new Date(now.getTime() - ((seed % 90) + 5) * 1000);
    const old = new Date(now.getTime() - sinceMs);
    let r: {
      sent: string;
      acked: string;
      sentTime: string;
      lastError?: string;
    };
    if (state === 'not-sent') r = { sent: '', acked: '', sentTime: ZERO_TIME };
    else if (state === 'stale')
      r = { sent: nonce(2), acked: nonce(1), sentTime: old.toISOString() };
    else if (state === 'error')
      r = {
        sent: nonce(2),
        acked: nonce(1),
        sentTime: old.toISOString(),
        lastError: `Error adding/updating listener(s) 0.0.0.0_8080: proxy rejected the ${short} update (kube-sim)`,
      };
    else r = { sent: nonce(3), acked: nonce(3), sentTime: fresh.toISOString() };
    resources[url] = r;
    if (r.sent) legacy[`${legacyKey[short]}_sent`] = r.sent;
    if (r.acked) legacy[`${legacyKey[short]}_acked`] = r.acked;
  }
  const gateway = pod.namespace === 'istio-system' && !!pod.labels.istio;
  return {
    cluster_id: clusterId,
    proxy: id,
    proxy_type: gateway ? 'router' : 'sidecar',
    istio_version: version,
    ...legacy,
    resources,
  };
}
