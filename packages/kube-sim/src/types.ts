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
}

export interface IstiodFaults {
  /** Extra delay of istiod's answers, in milliseconds (the API server itself answers on time). */
  latencyMs?: number;
  /** istiod answers this HTTP status (e.g. 500) with a text body. */
  status?: number;
  /** istiod's JSON is cut in half. */
  malformed?: boolean;
  /** `disabled`: ENABLE_DEBUG_ON_HTTP=false (404); `unauthenticated`: istiod refuses callers not on localhost (401). */
  debug?: 'disabled' | 'unauthenticated';
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
  /** Bytes of the response bodies of resource requests (get/list/write answers; watches and discovery excluded). */
  bytes: number;
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

export interface StartSimulatorOptions {
  scenarioDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** First port, the next clusters take the following ones; 0 (default) picks free ports. */
  port?: number;
  /** Use the `port:` of clusters.yaml (the CLI does; tests start the same scenario in parallel, so not by default). */
  scenarioPorts?: boolean;
}

export interface GenerateScenarioOptions {
  clusters: number;
  services: number;
  /** Endpoints per service, spread over the clusters. */
  endpoints: number;
  out: string;
}
