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
  spec: Record<string, unknown>;
}

/** A failure reading a cluster or part of it. */
export interface CollectionError {
  code: 'MESH090' | 'MESH091' | 'MESH092';
  message: string;
  /** For MESH092: the resource (plural, with group) the plugin was refused. */
  resource?: string;
  /** For MESH092: the RBAC rule to add. */
  rbacRule?: string;
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
}

export type ClusterStatus = 'ok' | 'stale' | 'unreachable' | 'unauthorized' | 'error';

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
}

export const MESH_SNAPSHOT_SCHEMA_VERSION = 1;
