/*
 * The mesh snapshot: what the backend's collectors read from each cluster, reduced to plain, compact data.
 * Analysis (findings, locality simulation) is a pure function of this data, so it runs in the backend and, for
 * what-if views, in the browser. Nothing here carries secret material: remote secrets are known by their
 * metadata only, and secret-looking fields of custom resources are redacted before they get here.
 */

/** A locality as Istio/Envoy see it: region/zone/subzone, any part may be empty. */
export interface Locality {
  region: string;
  zone: string;
  subzone?: string;
}

/** Alauda `ServiceMesh` (asm.alauda.io/v1alpha1), one per business cluster, held by the management cluster. */
export interface ServiceMeshResource {
  name: string;
  namespace: string;
  /** `spec.cluster`: the business cluster this mesh instance is installed on. */
  cluster: string;
  /** Label `asm.cpaas.io/meshgroup`: the multi-cluster mesh this instance belongs to. */
  meshGroup?: string;
  istioVersion?: string;
  multiCluster?: { enabled: boolean; isMultiNetwork: boolean; istioNetwork?: string };
  monitorType?: string;
  prometheusURL?: string;
  /** `status.phase` (e.g. Deployed, Deploying, Failed). */
  phase?: string;
  /** `status.synthesisPhase`. */
  synthesisPhase?: string;
  state?: string;
  version?: string;
  desiredVersion?: string;
  /** The spec as read, with secret-looking fields replaced by `REDACTED`. */
  spec: Record<string, unknown>;
}

/** One istiod revision running in a cluster (an upstream Istio control plane). */
export interface ControlPlane {
  /** `istio.io/rev` of the istiod Deployment; `default` when unlabelled. */
  revision: string;
  namespace: string;
  deployment: string;
  /** Istio version from the proxy image tag or `app.kubernetes.io/version`/`operator.istio.io/version` labels. */
  version?: string;
  desiredReplicas: number;
  readyReplicas: number;
  /** Values of the istiod `CLUSTER_ID` env, when set. */
  clusterId?: string;
}

/** The mesh ConfigMap of a revision (`istio` or `istio-<rev>`). */
export interface MeshConfigInfo {
  revision: string;
  namespace: string;
  configMap: string;
  meshId?: string;
  trustDomain?: string;
  /** `defaultConfig.meshId`/network hints from the mesh config, if any. */
  network?: string;
  /** Mesh-wide `localityLbSetting.enabled`; Istio's default is true. */
  localityLbEnabled?: boolean;
  /** Mesh-wide `enableAutoMtls`; Istio's default is true. */
  enableAutoMtls?: boolean;
  /** `rootNamespace`: where mesh-wide policies live; Istio's default is istio-system. */
  rootNamespace?: string;
  /** `defaultDestinationRuleExportTo`; unset means `*`. */
  defaultDestinationRuleExportTo?: string[];
  /** `defaultVirtualServiceExportTo`; unset means `*`. */
  defaultVirtualServiceExportTo?: string[];
}

export type GatewayHealth = 'healthy' | 'degraded' | 'down' | 'absent';

export interface ServicePortInfo {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

/** The east-west gateway of a cluster: its Deployment and its Service labelled `topology.istio.io/network`. */
export interface EastWestGateway {
  namespace: string;
  /** Service name; the Deployment is matched by the Service selector. */
  name: string;
  deployment?: string;
  network?: string;
  serviceType?: string;
  /** LoadBalancer ingress IPs/hostnames and externalIPs. Empty: istiod cannot use this gateway. */
  addresses: string[];
  ports: ServicePortInfo[];
  desiredReplicas: number;
  readyReplicas: number;
  /** Labels of the gateway pods/Deployment template (for the cross-network Gateway selector). */
  podLabels: Record<string, string>;
}

/** An Istio `Gateway` (networking.istio.io) in the cluster: kept when it serves port 15443. */
export interface IstioGatewayResource {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  servers: Array<{ port: number; protocol?: string; tlsMode?: string; hosts: string[] }>;
}

/** A remote secret (label `istio/multiCluster=true`), read as metadata only. */
export interface RemoteSecret {
  namespace: string;
  name: string;
  /**
   * The cluster it gives access to: annotation `networking.istio.io/cluster`, else the name without the
   * `istio-remote-secret-` prefix. (The data key is the real cluster ID, but secret data is never fetched.)
   */
  cluster: string;
}

/** Root CA from ConfigMap `istio-ca-root-cert` (`root-cert.pem`): public, safe to read. */
export interface RootCA {
  /** SHA-256 fingerprint of the DER certificate, upper-case hex with colons. */
  fingerprint: string;
  subject?: string;
  notAfter?: string;
  /** Where it was read, e.g. `istio-system/istio-ca-root-cert`. */
  source: string;
  error?: string;
}

/** Node locality summary: region/zone → node count; nodes missing labels are listed by name. */
export interface NodeLocalities {
  total: number;
  byLocality: Array<{ region: string; zone: string; nodes: number }>;
  /** Names of nodes without `topology.kubernetes.io/region` or `zone` (at most 50 listed). */
  unlabelled: string[];
  unlabelledCount: number;
}

export interface MeshNamespace {
  name: string;
  labels: Record<string, string>;
  /** Derived: `cpaas.io/serviceMesh`, `istio.io/rev` or `istio-injection=enabled` present. */
  onboarded: boolean;
  /** The revision injection resolves to, when known. */
  revision?: string;
}

/** Endpoint counts of one service in one locality of one cluster. */
export interface EndpointGroup {
  locality: Locality;
  ready: number;
  notReady: number;
}

/** A Service in a mesh namespace, with its endpoints reduced to counts per locality. */
export interface MeshService {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  type?: string;
  selector: Record<string, string>;
  ports: ServicePortInfo[];
  headless: boolean;
  endpoints: EndpointGroup[];
}

/** Pods grouped by owner (Deployment/StatefulSet/… or bare pod), with sidecar coverage. */
export interface MeshWorkload {
  namespace: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  pods: number;
  readyPods: number;
  /** Pods with an `istio-proxy` container (or native sidecar). */
  podsWithSidecar: number;
  /** Pods that opted out with `sidecar.istio.io/inject=false`. */
  podsOptedOut: number;
  localities: Array<Locality & { pods: number }>;
}

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

/** An Istio policy resource reduced to what the analysis compares; `spec` is kept for drift checks. */
export interface PolicyResource {
  kind: 'DestinationRule' | 'VirtualService' | 'PeerAuthentication';
  namespace: string;
  name: string;
  /** `metadata.creationTimestamp` (ISO 8601): Istio applies the oldest of competing rules first. */
  creationTimestamp?: string;
  spec: Record<string, unknown>;
}

/**
 * The codes of collection failures: MESH090–092 from the API server's answer, MESH094–097 from cluster access
 * (client-side or unknown auth provider, missing credentials, token endpoint or cluster source down).
 */
export const COLLECTION_ERROR_CODES = ['MESH090', 'MESH091', 'MESH092', 'MESH094', 'MESH095', 'MESH096', 'MESH097'] as const;

export type CollectionErrorCode = (typeof COLLECTION_ERROR_CODES)[number];

/** A failure reading a cluster or part of it. */
export interface CollectionError {
  code: CollectionErrorCode;
  message: string;
  /** The fix, when the collector knows it better than the code's generic one (cluster access problems). */
  hint?: string;
  /** For MESH092: the resource (plural, with group) the plugin was refused. */
  resource?: string;
  /** For MESH092: the RBAC rule to add. */
  rbacRule?: string;
}

/** xDS types whose sync state istiod reports per proxy (`/debug/syncz`), as `istioctl proxy-status` names them. */
export type XdsType = 'CDS' | 'LDS' | 'EDS' | 'RDS' | 'ECDS';

/**
 * Per-type state, derived as istiod does for `istioctl proxy-status` (pilot/pkg/xds/statusgen.go
 * `debugSyncStatus`): ERROR when the proxy NACKed (lastError), NOT SENT when nothing was pushed, SYNCED when the
 * last nonce sent was ACKed, else STALE.
 */
export type XdsState = 'SYNCED' | 'STALE' | 'NOT SENT' | 'ERROR';

/** One proxy connected to an istiod, for the drill-down (only proxies that are not fully synced are kept). */
export interface ProxySyncRow {
  /** Pod name and namespace, from istiod's proxy id `<pod>.<namespace>`. */
  pod: string;
  namespace: string;
  /** The proxy's ISTIO_META_CLUSTER_ID. */
  clusterId?: string;
  /** `sidecar`, `router` (gateways), `waypoint`, `ztunnel`. */
  proxyType?: string;
  version?: string;
  xds: Partial<
    Record<
      XdsType,
      {
        state: XdsState;
        /** istiod's `sentTime` of the last push (ISO 8601); for NOT SENT, the proxy's earliest push of any type. */
        since?: string;
        error?: string;
      }
    >
  >;
}

/** Proxy sync counts of one (proxy cluster, namespace). A proxy counts once, under its worst state. */
export interface ProxyNamespaceSync {
  clusterId: string;
  namespace: string;
  proxies: number;
  synced: number;
  stale: number;
  notSent: number;
  error: number;
}

/** What one istiod reports of its connected proxies (`/debug/syncz`), reduced to counts plus the problem rows. */
export interface IstiodProxySync {
  total: number;
  /** Proxies whose every type is SYNCED. */
  synced: number;
  byNamespace: ProxyNamespaceSync[];
  /** Proxy versions (`istio_version`) → number of proxies. */
  versions: Array<{ version: string; proxies: number }>;
  /** Proxies with a type STALE, NOT SENT or ERROR, oldest problem first, at most `rowsCap`. */
  rows: ProxySyncRow[];
  /** How many proxies are not fully synced (rows may be capped below it). */
  rowsTotal: number;
}

/** A remote cluster as istiod's `/debug/clusterz` lists it (pkg/cluster/debug.go DebugInfo). */
export interface IstiodRemoteCluster {
  /** The cluster ID: the data key of the remote secret. */
  id: string;
  /** `<namespace>/<secret name>`. */
  secretName: string;
  /** `synced`, `syncing`, `timeout` (first sync did not finish within PILOT_REMOTE_CLUSTER_TIMEOUT) or `closed`. */
  syncStatus: string;
}

/**
 * How the plugin read one istiod's debug endpoints: `forbidden` (403 on pods/proxy), `disabled`
 * (ENABLE_DEBUG_ON_HTTP=false: 404), `unauthenticated` (istiod answered 401: it serves /debug only to localhost or
 * authenticated callers), `unreachable` (the API server could not reach the pod, or it timed out), `error`.
 */
export type IstiodViewStatus =
  | 'ok'
  | 'forbidden'
  | 'unreachable'
  | 'disabled'
  | 'unauthenticated'
  | 'error';

/** The control plane's own view of one revision in one cluster: remote clusters and proxy sync. */
export interface IstiodView {
  revision: string;
  namespace: string;
  /** The istiod pod that answered (or the last one tried). */
  pod?: string;
  status: IstiodViewStatus;
  error?: string;
  /** For `forbidden`: the RBAC rule to add. */
  rbacRule?: string;
  /** istiod's clock when it answered (its HTTP Date header), the reference for proxy ages. */
  observedAt?: string;
  /** The local cluster's ID as istiod reports it (clusterz's first row). */
  clusterId?: string;
  /** Remote clusters (the local one excluded); absent when clusterz could not be read. */
  remoteClusters?: IstiodRemoteCluster[];
  /** Absent when syncz could not be read. */
  proxies?: IstiodProxySync;
}

/** Everything read from one cluster in one successful refresh. */
export interface ClusterMeshData {
  serviceMeshes: ServiceMeshResource[];
  controlPlanes: ControlPlane[];
  meshConfigs: MeshConfigInfo[];
  /** Label `topology.istio.io/network` of the istio-system namespace. */
  systemNamespaceNetwork?: string;
  /** Annotation `topology.istio.io/controlPlaneClusters` of istio-system, for remote clusters. */
  eastWestGateways: EastWestGateway[];
  gateways: IstioGatewayResource[];
  remoteSecrets: RemoteSecret[];
  rootCA?: RootCA;
  nodes: NodeLocalities;
  namespaces: MeshNamespace[];
  services: MeshService[];
  workloads: MeshWorkload[];
  destinationRules: PolicyResource[];
  virtualServices: PolicyResource[];
  peerAuthentications: PolicyResource[];
  /** Partial failures: resources that could not be read (403) or objects that were malformed and skipped. */
  partialErrors: CollectionError[];
  malformedObjects: Array<{ kind: string; namespace?: string; name?: string; reason: string }>;
  /**
   * What istiod itself reports, one entry per revision with a running istiod pod (observed state, read through
   * the pod proxy subresource). Absent: not collected (older snapshots, or the cluster runs no istiod).
   */
  istiod?: IstiodView[];
}

/** `pending`: configured, not read yet (before the first refresh completes). */
export type ClusterStatus = 'ok' | 'stale' | 'unreachable' | 'unauthorized' | 'error' | 'pending';

export interface ClusterSnapshot {
  name: string;
  /** Configured or discovered: the management cluster holds ServiceMesh resources only. */
  role: 'member' | 'management';
  status: ClusterStatus;
  error?: CollectionError;
  /** Time of the last successful read (ISO 8601). */
  lastSyncedAt?: string;
  lastAttemptAt?: string;
  /** Milliseconds the last attempt took. */
  durationMs?: number;
  region?: string;
  network?: string;
  /** The last good data; kept (and marked stale) when a later refresh fails. */
  data?: ClusterMeshData;
}

export interface MeshSnapshot {
  /** Format version of this structure: a reader discards snapshots of another version. */
  schemaVersion: number;
  generatedAt: string;
  managementCluster?: string;
  clusters: ClusterSnapshot[];
  /**
   * Cluster sources (catalog, GKE, a custom supplier) that failed at this refresh: clusters they located before
   * are kept; clusters they would add are not known yet.
   */
  sourceErrors?: ClusterSourceError[];
}

/** A cluster locator that did not answer (MESH097) or is not known (MESH095). */
export interface ClusterSourceError {
  /** The locator, e.g. `kubernetes.clusterLocatorMethods[1] (catalog)`. */
  source: string;
  code: 'MESH095' | 'MESH097';
  message: string;
  hint: string;
}

export const MESH_SNAPSHOT_SCHEMA_VERSION = 4;
