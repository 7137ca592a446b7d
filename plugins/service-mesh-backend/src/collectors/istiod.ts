/*
 * What istiod itself sees: `/debug/clusterz` (remote clusters and their sync status) and `/debug/syncz` (xDS sync
 * of every connected proxy), on the monitoring port istioctl uses (pkg/kube/client.go `FindIstiodMonitoringPort`:
 * annotation prometheus.io/port, else 15014), reached the way istioctl reaches it (pkg/kube/client.go
 * `portForwardRequest` under `AllDiscoveryDo`): a port-forward through the Kubernetes API (`pods/portforward`), so
 * the request arrives on istiod's loopback. That is the only caller a stock istiod serves without an Istio JWT:
 * pilot/pkg/xds/debug.go `addDebugHandler` wraps every /debug handler of the 15014 mux in
 * `allowAuthenticatedOrLocalhost`, and the pod proxy subresource (`serviceMesh.istiod.transport: podProxy`, for
 * istiod builds that serve /debug to anyone) dials from the API server's address without the caller's
 * Authorization header, so it gets 401.
 *
 * One pod per revision is asked (Ready pods first); a pod that cannot be reached or fails is followed by the next
 * one. Refusals that every pod would give end the attempt: 403 (RBAC on `pods/portforward`, or `pods/proxy`), 404
 * from istiod (ENABLE_DEBUG_ON_HTTP=false), 401 from istiod. Nothing here fails the cluster's read: every outcome
 * is an IstiodView status.
 */
import type {
  IstiodRemoteCluster,
  IstiodView,
  IstiodViewStatus,
} from '@internal/plugin-service-mesh-common';
import {
  isKubeApiError,
  type KubeClient,
  type RawGetResult,
} from '@internal/plugin-service-mesh-node';
import type { IstiodTransport } from './istiodConfig';
import { DEFAULT_ROWS_CAP, SynczReducer } from './istiodSyncz';
import { compareStrings } from '@internal/plugin-service-mesh-common';

export const ISTIOD_MONITORING_PORT = 15014;
/** kubectl port-forward's rule: `get` for the WebSocket upgrade (a GET), `create` for SPDY and Kubernetes >= 1.35's check of upgrades. */
export const PORT_FORWARD_RBAC_RULE =
  'apiGroups: [""], resources: ["pods/portforward"], verbs: ["create", "get"] (a Role in the istiod namespace is enough)';
export const PODS_PROXY_RBAC_RULE =
  'apiGroups: [""], resources: ["pods/proxy"], verbs: ["get"] (a Role in the istiod namespace is enough)';
const MAX_CLUSTERZ_BYTES = 4 * 1024 * 1024;
const MAX_SYNCZ_BYTES = 256 * 1024 * 1024;

export interface IstiodCollectOptions {
  /** How istiod's port is reached; default portForward. */
  transport?: IstiodTransport;
  /** Timeout of each debug request; a slow istiod never holds up the cluster's read past it. */
  timeoutMs: number;
  /** Proxy rows kept per istiod for the drill-down (the total is always counted). */
  rowsCap?: number;
  /**
   * syncz on its own, longer interval (`serviceMesh.istiod.proxySyncIntervalSeconds`): a revision whose previous
   * view holds a syncz result read less than `intervalMs` before `now` keeps that result (with its read time) and
   * only clusterz is asked. Absent: syncz is read every time.
   */
  proxySync?: ProxySyncSchedule;
}

export interface ProxySyncSchedule {
  intervalMs: number;
  /** The plugin's clock (injected: tests need no timers). */
  now: Date;
  /** This cluster's views of the last read. */
  previous?: IstiodView[];
}

const viewKey = (v: { namespace: string; revision: string }) =>
  `${v.namespace}/${v.revision}`;

/** The previous view's syncz result if it is still within the interval, else undefined (read syncz now). */
export function reusableProxySync(
  schedule: ProxySyncSchedule | undefined,
  key: string,
): Pick<IstiodView, 'proxies' | 'observedAt' | 'proxiesReadAt'> | undefined {
  if (!schedule) return undefined;
  const previous = schedule.previous?.find(v => viewKey(v) === key);
  if (!previous?.proxies || !previous.proxiesReadAt) return undefined;
  const age = schedule.now.getTime() - Date.parse(previous.proxiesReadAt);
  // A clock that went back, or a read time in the future, is not trusted: read again.
  if (!(age >= 0 && age < schedule.intervalMs)) return undefined;
  return {
    proxies: previous.proxies,
    proxiesReadAt: previous.proxiesReadAt,
    ...(previous.observedAt ? { observedAt: previous.observedAt } : {}),
  };
}

interface IstiodPod {
  name: string;
  namespace: string;
  revision: string;
  port: number;
  ready: boolean;
}

type Rec = Record<string, any>;

function istiodPods(items: unknown[]): IstiodPod[] {
  const pods: IstiodPod[] = [];
  for (const item of items as Rec[]) {
    const meta = item?.metadata ?? {};
    if (typeof meta.name !== 'string' || item?.status?.phase !== 'Running')
      continue;
    const annotated = Number(meta.annotations?.['prometheus.io/port']);
    const conditions: Rec[] = Array.isArray(item.status?.conditions)
      ? item.status.conditions
      : [];
    pods.push({
      name: meta.name,
      namespace:
        typeof meta.namespace === 'string' ? meta.namespace : 'istio-system',
      revision: meta.labels?.['istio.io/rev'] || 'default',
      port:
        Number.isInteger(annotated) && annotated > 0
          ? annotated
          : ISTIOD_MONITORING_PORT,
      ready: conditions.some(c => c?.type === 'Ready' && c?.status === 'True'),
    });
  }
  // Ready pods first, then by name: the same pod is asked on every refresh while it is healthy.
  return pods.sort(
    (a, b) =>
      Number(b.ready) - Number(a.ready) || compareStrings(a.name, b.name),
  );
}

/** Every revision with a running istiod pod → its view; undefined when istiod pods cannot be listed. */
export async function collectIstiod(
  client: KubeClient,
  options: IstiodCollectOptions,
): Promise<IstiodView[] | undefined> {
  const transport = options.transport ?? 'portForward';
  if (transport === 'portForward' ? !client.portForwardGet : !client.rawGet)
    return undefined;
  let items: unknown[];
  try {
    items = await client.list('/api/v1/pods', { labelSelector: 'app=istiod' });
  } catch (error) {
    if (isKubeApiError(error)) return undefined;
    throw error;
  }
  const byRevision = new Map<string, IstiodPod[]>();
  for (const pod of istiodPods(items)) {
    const key = `${pod.namespace}/${pod.revision}`;
    byRevision.set(key, [...(byRevision.get(key) ?? []), pod]);
  }
  const views = await Promise.all(
    [...byRevision.entries()].map(([key, pods]) =>
      readRevision(
        client,
        pods,
        options,
        reusableProxySync(options.proxySync, key),
      ),
    ),
  );
  return views.sort(
    (a, b) =>
      compareStrings(a.namespace, b.namespace) ||
      compareStrings(a.revision, b.revision),
  );
}

/** A failure of one debug request, classified; `final` means another pod would answer the same. */
class DebugReadError extends Error {
  constructor(
    readonly status: Exclude<IstiodViewStatus, 'ok'>,
    message: string,
    readonly final: boolean,
  ) {
    super(message);
  }
}

async function readRevision(
  client: KubeClient,
  pods: IstiodPod[],
  options: IstiodCollectOptions,
  kept: ReturnType<typeof reusableProxySync>,
): Promise<IstiodView> {
  let best: (IstiodView & { final?: boolean }) | undefined;
  for (const pod of pods) {
    const view = await readPod(client, pod, options, kept);
    if (view.status === 'ok') return view;
    // Keep what any pod gave (clusterz may have worked where syncz failed).
    if (!best || (view.remoteClusters && !best.remoteClusters)) best = view;
    if (view.final) break;
  }
  const { final, ...view } = best!;
  void final;
  return view;
}

async function readPod(
  client: KubeClient,
  pod: IstiodPod,
  options: IstiodCollectOptions,
  kept: ReturnType<typeof reusableProxySync>,
): Promise<IstiodView & { final?: boolean }> {
  const view: IstiodView & { final?: boolean } = {
    revision: pod.revision,
    namespace: pod.namespace,
    pod: pod.name,
    status: 'ok',
  };
  const readAt = (options.proxySync?.now ?? new Date()).toISOString();
  const [clusterz, syncz] = await Promise.allSettled([
    readClusterz(client, pod, options),
    kept
      ? Promise.resolve(undefined)
      : readSyncz(client, pod, options).then(r => ({ ...r, readAt })),
  ]);
  if (clusterz.status === 'fulfilled') {
    const [local, ...remotes] = clusterz.value;
    if (local) view.clusterId = local.id;
    view.remoteClusters = remotes;
  }
  if (syncz.status === 'fulfilled' && syncz.value) {
    view.proxies = syncz.value.proxies;
    view.proxiesReadAt = syncz.value.readAt;
    if (syncz.value.date) view.observedAt = syncz.value.date;
  } else if (kept) Object.assign(view, kept);
  const failures = [clusterz, syncz].flatMap(r =>
    r.status === 'rejected' ? [r.reason] : [],
  );
  const failure =
    failures.find(f => f instanceof DebugReadError && f.final) ?? failures[0];
  if (failure) {
    if (!(failure instanceof DebugReadError)) throw failure;
    view.status = failure.status;
    view.error = failure.message;
    view.final = failure.final;
    if (failure.status === 'forbidden')
      view.rbacRule =
        options.transport === 'podProxy'
          ? PODS_PROXY_RBAC_RULE
          : PORT_FORWARD_RBAC_RULE;
  }
  return view;
}

/** Turns istiod's non-2xx answer, or the pod proxy's Status, into a DebugReadError (see the header for the rules). */
function classify(
  endpoint: string,
  transport: IstiodTransport,
  result: { statusCode: number; errorBody?: string },
): DebugReadError {
  const body = result.errorBody ?? '';
  let statusObject: Rec | undefined;
  try {
    const parsed = JSON.parse(body);
    if (parsed?.kind === 'Status') statusObject = parsed;
  } catch {
    // istiod's own answers are plain text
  }
  const apiMessage = statusObject?.message ?? body.trim().slice(0, 300);
  const code = result.statusCode;
  // Through a forward every answer is istiod's; through the pod proxy a Status is the API server's.
  if (statusObject && transport === 'podProxy') {
    if (code === 403)
      return new DebugReadError(
        'forbidden',
        `The API server refused the pod proxy (403): ${apiMessage}`,
        true,
      );
    if (code === 404 || code === 503 || code >= 500)
      return new DebugReadError(
        'unreachable',
        `The API server could not reach istiod for ${endpoint} (${code}): ${apiMessage}`,
        false,
      );
    return new DebugReadError(
      'error',
      `${endpoint}: ${code} ${apiMessage}`,
      true,
    );
  }
  if (code === 404)
    return new DebugReadError(
      'disabled',
      `istiod answered 404 for ${endpoint}: its debug endpoints are off (ENABLE_DEBUG_ON_HTTP=false)`,
      true,
    );
  if (code === 401 || code === 403)
    return new DebugReadError(
      'unauthenticated',
      transport === 'podProxy'
        ? `istiod answered ${code} for ${endpoint}: it serves /debug only to localhost or to authenticated callers, and the API server's pod proxy forwards no credentials (use serviceMesh.istiod.transport: portForward)`
        : `istiod answered ${code} for ${endpoint} although the port-forwarded request arrived on its loopback: this istiod build demands authentication even there`,
      true,
    );
  return new DebugReadError(
    'error',
    `istiod answered ${code} for ${endpoint}${
      apiMessage ? `: ${apiMessage}` : ''
    }`,
    false,
  );
}

/** The API server's refusal of a port-forward (the upgrade), or a failure to get an answer at all. */
function transportError(
  endpoint: string,
  transport: IstiodTransport,
  error: unknown,
  timeoutMs: number,
): DebugReadError | undefined {
  if (!isKubeApiError(error)) return undefined;
  if (error.details.code === 'ABORT_ERR')
    return new DebugReadError(
      'unreachable',
      `istiod did not answer ${endpoint} within ${timeoutMs} ms`,
      false,
    );
  if (transport === 'portForward' && error.statusCode !== undefined) {
    const code = error.statusCode;
    if (code === 403)
      return new DebugReadError(
        'forbidden',
        `The API server refused the port-forward to istiod (403): ${error.message}`,
        true,
      );
    // The pod went away, is not scheduled yet, or the API server could not reach its kubelet: try the next one.
    if (code === 404 || code === 400 || code >= 500)
      return new DebugReadError(
        'unreachable',
        `The API server could not port-forward to istiod for ${endpoint}: ${error.message}`,
        false,
      );
    return new DebugReadError('error', error.message, true);
  }
  if (error.reason === 'PortForwardError')
    return new DebugReadError('unreachable', error.message, false);
  return new DebugReadError('error', error.message, false);
}

async function get(
  client: KubeClient,
  pod: IstiodPod,
  endpoint: string,
  options: IstiodCollectOptions,
  maxBytes: number,
  onChunk: (chunk: Buffer) => void,
): Promise<RawGetResult> {
  const transport = options.transport ?? 'portForward';
  const request = {
    signal: AbortSignal.timeout(options.timeoutMs),
    maxBytes,
    onChunk,
  };
  try {
    const result =
      transport === 'portForward'
        ? await client.portForwardGet!(
            {
              namespace: pod.namespace,
              pod: pod.name,
              port: pod.port,
              path: endpoint,
            },
            request,
          )
        : await client.rawGet!(
            `/api/v1/namespaces/${encodeURIComponent(
              pod.namespace,
            )}/pods/${encodeURIComponent(pod.name)}:${
              pod.port
            }/proxy${endpoint}`,
            request,
          );
    if (result.statusCode < 200 || result.statusCode >= 300)
      throw classify(endpoint, transport, result);
    return result;
  } catch (error) {
    if (error instanceof DebugReadError) throw error;
    if (error instanceof SyntaxError)
      throw new DebugReadError(
        'error',
        `istiod's ${endpoint} is not valid JSON: ${error.message}`,
        false,
      );
    throw (
      transportError(endpoint, transport, error, options.timeoutMs) ?? error
    );
  }
}

async function readClusterz(
  client: KubeClient,
  pod: IstiodPod,
  options: IstiodCollectOptions,
): Promise<IstiodRemoteCluster[]> {
  const chunks: Buffer[] = [];
  await get(client, pod, '/debug/clusterz', options, MAX_CLUSTERZ_BYTES, c =>
    chunks.push(c),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new DebugReadError(
      'error',
      `istiod's /debug/clusterz is not valid JSON: ${(e as Error).message}`,
      false,
    );
  }
  if (!Array.isArray(parsed))
    throw new DebugReadError(
      'error',
      "istiod's /debug/clusterz is not a JSON array",
      false,
    );
  return parsed.flatMap((r: Rec) =>
    r && typeof r.id === 'string'
      ? [
          {
            id: r.id,
            secretName: typeof r.secretName === 'string' ? r.secretName : '',
            syncStatus: typeof r.syncStatus === 'string' ? r.syncStatus : '',
          },
        ]
      : [],
  );
}

async function readSyncz(
  client: KubeClient,
  pod: IstiodPod,
  options: IstiodCollectOptions,
) {
  const reducer = new SynczReducer(options.rowsCap ?? DEFAULT_ROWS_CAP);
  const result = await get(
    client,
    pod,
    '/debug/syncz',
    options,
    MAX_SYNCZ_BYTES,
    c => reducer.splitter.write(c),
  );
  try {
    reducer.splitter.end();
  } catch (e) {
    throw new DebugReadError(
      'error',
      `istiod's /debug/syncz is not valid JSON: ${(e as Error).message}`,
      false,
    );
  }
  const date = result.date ? new Date(result.date) : undefined;
  return {
    proxies: reducer.result(),
    date:
      date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined,
  };
}
