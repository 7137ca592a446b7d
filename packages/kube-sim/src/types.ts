// Public types of the simulator. Other packages (backend tests, benchmarks, scripts) depend on these names.
import type { ClusterAuth } from './auth.ts';
import type { IssuedToken } from './cloud.ts';

export type { ClusterAuth } from './auth.ts';
export type { CloudSpec, IssuedToken } from './cloud.ts';

/** Faults of one cluster; set in clusters.yaml, through setFaults() or PUT /_sim/faults. */
export interface ClusterFaults {
  /** Delay before every API response, in milliseconds. */
  latencyMs?: number;
  /** Connection refused: the cluster's port is not listening. */
  down?: boolean;
  /** Every API call answers 401, whatever the token. */
  unauthorized?: boolean;
  /** Resources answering 403 for every verb: `secrets`, `deployments.apps`, `destinationrules.networking.istio.io`. */
  forbidden?: string[];
  /** Share (0..1) of API calls answering 500; decided by a seeded RNG, so a run is repeatable. */
  errorRate?: number;
  /** How istiod's debug endpoints (behind the pod proxy subresource) misbehave; see istiod.ts. */
  istiod?: IstiodFaults;
  /** How watches behave: bookmarks, compaction, dropped connections. */
  watch?: WatchFaults;
}

export interface WatchFaults {
  /** BOOKMARK events every this many seconds to watches with `allowWatchBookmarks=true`. Default 60 (the API server's). */
  bookmarkSeconds?: number;
  /** Compaction window: a watch from a resourceVersion older than this many seconds gets 410 Gone. */
  historySeconds?: number;
  /** Every watch connection is cut (reset, no clean end) after this many events. */
  dropAfterEvents?: number;
  /** Every watch connection is cut this many seconds after it opened. */
  dropAfterSeconds?: number;
  /** 403 for the verb `watch` only on these resources (an API server or policy that forbids long requests). */
  forbidden?: string[];
}

export interface IstiodFaults {
  /** Extra delay of istiod's answers, in milliseconds (the API server itself answers on time). */
  latencyMs?: number;
  /** istiod answers this HTTP status (e.g. 500) with a text body. */
  status?: number;
  /** istiod's JSON is cut in half. */
  malformed?: boolean;
  /**
   * `disabled`: ENABLE_DEBUG_ON_HTTP=false (404); `unauthenticated`: 401 to every caller, loopback too; `open`:
   * any caller is served (istiod < 1.11), so the pod proxy works. Default: loopback only (a port-forward), as
   * istiod >= 1.11: the pod proxy gets 401.
   */
  debug?: 'disabled' | 'unauthenticated' | 'open';
}

export interface SimulatorCluster {
  name: string;
  /** http:// URL; the same port also answers HTTPS (see httpsUrl). */
  url: string;
  /** https:// URL of the same port, with a self-signed certificate (caData). */
  httpsUrl?: string;
  token: string;
  /** Base64 PEM of the self-signed certificate the HTTPS side serves (it is its own CA). */
  caData?: string;
  skipTLSVerify?: boolean;
  region?: string;
  network?: string;
  /** Located from the catalog (a Resource entity names its URL), not listed in the app-config fragment. */
  locator?: 'catalog';
}

export interface RequestStats {
  requests: number;
  /**
   * Bytes of the response bodies of resource requests: get/list/write answers, watch streams (every event and
   * bookmark line) and istiod's debug answers through the pod proxy; discovery excluded.
   */
  bytes: number;
  /** Of `bytes`, what watch streams sent. */
  watchBytes: number;
  /** Keyed `<verb> <resource>`, e.g. `list pods`, `get destinationrules.networking.istio.io`, `get /apis`. */
  byResource: Record<string, number>;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string;
  /** Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection) or `get` for discovery. */
  verb: string;
  /** `pods`, `destinationrules.networking.istio.io`, or the path for non-resource URLs. */
  resource: string;
  /**
   * Who called: `token` (the cluster's token), `token:N` (auth.tokens), `aws:<IAM ARN>`, `azure:<token id>`,
   * `google:<token id>`, `anonymous`; unset when refused.
   */
  user?: string;
  /** Why the credentials were refused (the API server answers a plain 401). */
  authError?: string;
  status: number;
}

export interface LoadWarning {
  cluster: string;
  file: string;
  message: string;
}

export interface RunningSimulator {
  clusters: SimulatorCluster[];
  managementCluster?: string;
  /** Documents of the scenario that could not be indexed (skipped). */
  warnings: LoadWarning[];
  /** Total API requests since start/reset, of one cluster or of all. */
  requestCount(cluster?: string): number;
  requestStats(cluster: string): RequestStats;
  resetRequestCounts(): void;
  /** The last requests of a cluster (capped), oldest first. */
  requestLog(cluster: string): RequestLogEntry[];
  faults(cluster: string): ClusterFaults;
  /** Replaces the cluster's faults; `down` closes its port, lifting it listens again on the same port. */
  setFaults(cluster: string, faults: ClusterFaults): Promise<void>;
  /** Who may call the cluster besides its token. */
  auth(cluster: string): ClusterAuth;
  setAuth(cluster: string, auth: ClusterAuth): void;
  /** The fake cloud: token endpoints for Azure, Google and AWS STS, and the GKE API (cloud.ts). */
  cloud: SimulatorCloud;
  /** A live change (see changes.ts; the same as POST /_sim/change and `kube-sim change`). */
  change(cluster: string, change: SimulatorChange): SimulatorChangeResult;
  /** Compacts the cluster's change history now: a watch resumed from any earlier resourceVersion gets 410. */
  compact(cluster: string): string;
  /** Cuts every open watch of the cluster (reset connections); returns how many. */
  dropWatches(cluster: string): number;
  /** Open watch connections of the cluster. */
  openWatches(cluster: string): number;
  stop(): Promise<void>;
}

export interface SimulatorCloud {
  url: string;
  /** Environment variables that point the cloud SDKs at it (IDENTITY_ENDPOINT, GCE_METADATA_HOST, AWS_*). */
  environment(): Record<string, string>;
  issuedTokens(): IssuedToken[];
  /** Lifetime of tokens and temporary credentials issued from now on. */
  setTokenLifetime(seconds: number): void;
  requestLog(): Array<{ method: string; path: string; status: number }>;
}

/** One live change: `{ op: 'gateway-address', args: ['203.0.113.10'] }`, `{ op: 'apply', objects: [...] }`. */
export interface SimulatorChange {
  op: 'gateway-address' | 'scale' | 'delete' | 'apply' | 'endpoints-flip';
  args?: string[];
  objects?: unknown[];
}

export interface SimulatorChangeResult {
  op: string;
  changed: Array<{
    kind: string;
    namespace?: string;
    name: string;
    resourceVersion: string;
    action: 'created' | 'updated' | 'deleted';
  }>;
}

export interface StartSimulatorOptions {
  scenarioDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** First port, the next clusters take the following ones; 0 (default) picks free ports. */
  port?: number;
  /** Use the `port:` of clusters.yaml (the CLI does; tests start the same scenario in parallel, so not by default). */
  scenarioPorts?: boolean;
  /** Ports by cluster name (wins over `port`): a simulator restarted on the ports of the one before. */
  ports?: Record<string, number>;
}

export interface GenerateScenarioOptions {
  clusters: number;
  services: number;
  /** Endpoints per service, spread over the clusters. */
  endpoints: number;
  out: string;
}
