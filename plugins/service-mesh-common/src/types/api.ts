/*
 * Shapes of the REST API under /api/service-mesh. The backend builds them from the snapshot; the frontend reads
 * them. Findings are produced by the pure analysis in this package.
 */
import type {
  ClusterStatus,
  CollectionError,
  EndpointGroup,
  GatewayHealth,
  IstiodView,
  IstiodViewStatus,
  Locality,
  MeshService,
  MeshWorkload,
  MtlsMode,
  PolicyResource,
  ProxySyncRow,
} from './snapshot';
import type { FindingSeverity } from '../findings/definition';
import type { FindingCode } from '../findings/registry';
import type { ReachabilityMatrix } from './reachability';
import type { SimulationInput, SimulationResult } from '../locality/types';

export type { FindingSeverity };

export interface Finding {
  /** Stable, URL-safe identifier of this finding instance (code + clusters + resource), for links. */
  id: string;
  code: FindingCode;
  severity: FindingSeverity;
  title: string;
  message: string;
  clusters: string[];
  resource?: { kind: string; namespace?: string; name: string };
  /** How to fix it: a command or a YAML change. */
  hint: string;
}

export interface ClusterSummary {
  name: string;
  role: 'member' | 'management';
  status: ClusterStatus;
  error?: CollectionError;
  lastSyncedAt?: string;
  region?: string;
  network?: string;
}

export interface ClustersResponse {
  items: ClusterSummary[];
}

/** Why an east-west gateway is not fully usable; each is what a finding reports. */
export type GatewayProblem =
  /** MESH031: scaled to 0, or fewer ready replicas than desired. */
  | 'replicas'
  /** MESH032: no LoadBalancer ingress and no externalIPs. */
  | 'no-address'
  /** MESH033: port 15443 not exposed. */
  | 'no-cross-network-port'
  /** MESH035: the Service has no network label. */
  | 'no-network-label'
  /** MESH035: its network label differs from the one the cluster's workloads are declared on. */
  | 'network-mismatch'
  /** MESH034: no AUTO_PASSTHROUGH Gateway on 15443 selects the cluster's east-west gateway pods. */
  | 'no-passthrough-gateway';

export interface EastWestGatewayHealth {
  health: GatewayHealth;
  /** Service namespace/name, when present. */
  name?: string;
  network?: string;
  readyReplicas: number;
  desiredReplicas: number;
  /** The addresses istiod publishes (a NodePort gateway: its nodes' ExternalIPs). */
  addresses: string[];
  ports: number[];
  /** What keeps it from being healthy (the same conditions the gateway findings report). */
  problems?: GatewayProblem[];
  /** The port other networks connect to, when it is not 15443 (a node port, or the gatewayPort label). */
  crossNetworkPort?: number;
}

export interface ClusterMeshStatus extends ClusterSummary {
  serviceMesh?: {
    name: string;
    phase?: string;
    synthesisPhase?: string;
    version?: string;
    desiredVersion?: string;
    istioVersion?: string;
    meshGroup?: string;
  };
  controlPlanes: Array<{
    revision: string;
    version?: string;
    readyReplicas: number;
    desiredReplicas: number;
  }>;
  meshId?: string;
  trustDomain?: string;
  eastWestGateway: EastWestGatewayHealth;
  rootCA?: { fingerprint: string; notAfter?: string; subject?: string };
  /** Clusters this cluster's istiod can discover (its remote secrets). */
  remoteSecrets: string[];
  localities: Array<{ region: string; zone: string; nodes: number }>;
  onboardedNamespaces: string[];
  /** Revisions whose istiod runs here (for onboarding forms). */
  revisions: string[];
  /** What this cluster's istiods report of their remote clusters and proxies; absent when not read. */
  istiod?: IstiodView[];
  /**
   * Revision tags (`istioctl tag set`): the revision each points at, and whether that revision's istiod runs here
   * (then a namespace may use the tag). Absent from older backends.
   */
  revisionTags?: Array<{ tag: string; revision?: string; runs: boolean }>;
}

/** `pending` until the first refresh has read the clusters; `generatedAt` is then the time of the answer. */
export type SnapshotStatus = 'pending' | 'ready';

export interface OverviewResponse {
  /** Absent from backends older than this field: read as `ready`. */
  status?: SnapshotStatus;
  generatedAt: string;
  managementCluster?: string;
  multiNetwork: boolean;
  clusters: ClusterMeshStatus[];
  /** Who reaches whom: the reachability model (discovered / routable / trusted per ordered cluster pair). */
  reachability: ReachabilityMatrix;
  findings: Finding[];
}

/** How the entity was matched, from the Kubernetes plugin's annotations. */
export interface EntitySelector {
  kubernetesId?: string;
  namespace?: string;
  labelSelector?: string;
}

export interface EntityClusterView {
  cluster: string;
  status: ClusterStatus;
  lastSyncedAt?: string;
  region?: string;
  network?: string;
  namespaces: Array<{
    name: string;
    onboarded: boolean;
    /** What the labels ask for: a revision or a revision tag. */
    revision?: string;
    /** The revision a tag resolves to, when `revision` is a tag. */
    resolvedRevision?: string;
  }>;
  services: MeshService[];
  workloads: MeshWorkload[];
  sidecarCoverage: { pods: number; withSidecar: number };
  /** Effective PeerAuthentication mode for the entity's workloads in this cluster (most specific scope wins). */
  mtlsMode: MtlsMode | 'PERMISSIVE (default)';
  /** Sync of the entity's proxies as this cluster's istiods report it; absent when istiod was not read. */
  proxySync?: EntityProxySync;
}

/** The entity's proxies in one cluster, from istiod's /debug/syncz. */
export interface EntityProxySync {
  /** How the istiods could be read: the worst status among them. */
  status: IstiodViewStatus;
  error?: string;
  /** istiod's clock when it answered. */
  observedAt?: string;
  /** When the plugin read this proxy sync (the oldest of the istiods' reads; syncz has its own interval). */
  readAt?: string;
  /** The entity's pods with a sidecar. */
  proxies: number;
  /** How many of them istiod reports fully SYNCED; absent when istiod's problem list was capped (unknown). */
  synced?: number;
  /** The entity's proxies that are not fully synced, with the istiod pod they are connected to. */
  rows: Array<ProxySyncRow & { istiod?: string }>;
}

export interface EndpointDistributionRow extends EndpointGroup {
  cluster: string;
  network?: string;
  service: string;
}

/** Which clients a DestinationRule or VirtualService in force applies to. */
export interface PolicyClients {
  /**
   * Namespaces of the client sidecars, sorted; `*` stands for every namespace not named by another entry for
   * the same service and cluster.
   */
  namespaces: string[];
  /** Only the client workloads whose labels include these (a DestinationRule workloadSelector). */
  workloadSelector?: Record<string, string>;
  /** Gateways (namespace/name) it applies at (a VirtualService bound to gateways). */
  gateways?: string[];
}

/** DestinationRules for one host that Istio merges into one. */
export interface PolicyMerge {
  /** `namespace/name` of every merged rule, in Istio's order (oldest first). */
  rules: string[];
  /** The rule whose top-level trafficPolicy the merged rule carries. */
  trafficPolicyFrom?: string;
}

export interface EntityTrafficPolicy extends PolicyResource {
  clusters: string[];
  /** Who it applies to (DestinationRules and VirtualServices). */
  clients?: PolicyClients;
  /** Set when Istio merges this DestinationRule with others for the same host. */
  merge?: PolicyMerge;
}

export interface EntityServiceSimulation {
  /** namespace/name of the service. */
  service: string;
  /** The inputs, so the browser can recompute what-if views with the same simulator. */
  input: SimulationInput;
  result: SimulationResult;
}

export interface EntityResponse {
  /** As in {@link OverviewResponse}. */
  status?: SnapshotStatus;
  entityRef: string;
  generatedAt: string;
  selector: EntitySelector;
  clusters: EntityClusterView[];
  endpointDistribution: EndpointDistributionRow[];
  trafficPolicies: EntityTrafficPolicy[];
  simulations: EntityServiceSimulation[];
  findings: Finding[];
}

/** `POST /refresh?wait=true`: the snapshot the refresh published. */
export interface RefreshResponse {
  generatedAt: string;
  clusters: ClusterSummary[];
}

/** One cluster of a refresh run, as it progresses. */
export interface RefreshClusterProgress {
  name: string;
  state: 'queued' | 'reading' | 'done' | 'failed';
  /** Time the read took, once done or failed. */
  durationMs?: number;
  /** Why it failed (its status and message). */
  error?: string;
}

/**
 * `GET /refresh` and the 202 answer of `POST /refresh`: the refresh in progress, or the last one (`idle`).
 * Every replica shows the run of the replica that reads, through the shared cache.
 */
export interface RefreshProgress {
  state: 'idle' | 'running';
  startedAt?: string;
  finishedAt?: string;
  /** The snapshot the last finished run published. */
  generatedAt?: string;
  clusters: RefreshClusterProgress[];
}

/** The signal channel on which the backend announces each new snapshot (`@backstage/plugin-signals`). */
export const SNAPSHOT_SIGNAL_CHANNEL = 'service-mesh:snapshot';

/** The message on {@link SNAPSHOT_SIGNAL_CHANNEL}. */
export interface SnapshotSignal {
  [key: string]: string;
  generatedAt: string;
}

export type { Locality };

/** Ranges of `GET /traffic/timeseries`. */
export const TIMESERIES_RANGES = ['1h', '6h', '24h'] as const;
export type TimeSeriesRange = (typeof TIMESERIES_RANGES)[number];

/** One cluster pair's metric over time: `[unix seconds, value]` points. */
export interface TrafficTimeSeries {
  source: string;
  destination: string;
  /** Requests per second, the share of 5xx answers (0–1), or the p95 latency in milliseconds. */
  metric: 'requestRate' | 'errorRatio' | 'p95Ms';
  points: Array<[number, number]>;
}

/** `GET /traffic/timeseries?range=1h|6h|24h`: request rate, 5xx ratio and p95 per cluster pair. */
export interface TrafficTimeSeriesResponse {
  status: 'ok' | 'unconfigured' | 'unreachable' | 'unauthorized' | 'error';
  reason?: string;
  range: TimeSeriesRange;
  stepSeconds: number;
  generatedAt: string;
  series: TrafficTimeSeries[];
}

/** Windows of `GET /findings/trend`. */
export const FINDINGS_TREND_WINDOWS = ['1h', '6h', '24h', '7d'] as const;
export type FindingsTrendWindow = (typeof FINDINGS_TREND_WINDOWS)[number];

/** Finding counts by severity. */
export type SeverityCounts = Record<FindingSeverity, number>;

/** The findings of one published snapshot, counted. */
export interface FindingsTrendPoint {
  /** The snapshot's `generatedAt`. */
  at: string;
  bySeverity: SeverityCounts;
  /** Findings per code (codes without findings left out). */
  byCode: Record<string, number>;
  /** Findings per cluster they name (a finding naming two clusters counts in both; mesh-wide ones in none). */
  byCluster: Record<string, SeverityCounts>;
}

/** `GET /findings/trend?window=1h|6h|24h|7d`: the findings of the snapshots published in the window, oldest first. */
export interface FindingsTrendResponse {
  window: FindingsTrendWindow;
  /** How far back the backend keeps points (`serviceMesh.findingsTrend.retentionHours`). */
  retentionHours: number;
  points: FindingsTrendPoint[];
}
