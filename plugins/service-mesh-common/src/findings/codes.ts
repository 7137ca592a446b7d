/*
 * The finding codes: stable identifiers that users filter, link and alert on. Never renumber; retire a code by
 * leaving it out of the analysis, not by reusing it.
 */
import type { FindingSeverity } from '../types/api';

export interface FindingCodeInfo {
  /** The usual severity; a check may raise or lower it for one instance (e.g. MESH031 with 0 ready is an error). */
  severity: FindingSeverity;
  title: string;
  /** What it means, for the README and the UI. */
  description: string;
}

export const FINDING_CODES = {
  MESH001: { severity: 'error', title: 'ServiceMesh not deployed or upgrading', description: 'A ServiceMesh resource is not in phase Deployed, or its version differs from its desired version (an upgrade in progress is a warning).' },
  MESH002: { severity: 'error', title: 'No ready istiod for a revision in use', description: 'A namespace uses a revision whose istiod has no ready replica: new pods get no sidecar and proxies get no config updates.' },
  MESH003: { severity: 'warning', title: 'Istio versions differ across clusters', description: 'Control planes of the mesh run different Istio versions. Keep one version in steady state; upgrade one cluster at a time.' },
  MESH004: { severity: 'error', title: 'meshID or trust domain differs', description: 'Clusters disagree on meshID or trust domain, so they do not form one mesh and cross-cluster identities fail.' },
  MESH010: { severity: 'error', title: 'Missing remote secret', description: 'A primary has no remote secret for another cluster of the mesh; it cannot discover that cluster\'s endpoints. Multi-primary needs the full matrix.' },
  MESH011: { severity: 'warning', title: 'Remote secret for a cluster outside the mesh', description: 'A remote secret names a cluster that is not a member of the mesh (stale or mistyped).' },
  MESH020: { severity: 'error', title: 'Root CA differs across clusters', description: 'Clusters have different root certificates, so cross-cluster mTLS handshakes fail.' },
  MESH021: { severity: 'warning', title: 'Root CA expires soon', description: 'The mesh root certificate expires within 30 days.' },
  MESH030: { severity: 'error', title: 'No east-west gateway', description: 'The mesh spans several networks and this cluster has no east-west gateway, so other networks cannot reach its workloads.' },
  MESH031: { severity: 'warning', title: 'East-west gateway replicas not ready', description: 'The east-west gateway has fewer ready replicas than desired (none ready: error).' },
  MESH032: { severity: 'error', title: 'East-west gateway has no external address', description: 'The east-west gateway Service has no LoadBalancer ingress and no externalIPs; istiod ignores it and remote networks get no route.' },
  MESH033: { severity: 'error', title: 'East-west gateway does not expose 15443', description: 'The east-west gateway Service does not expose port 15443, where cross-network mTLS traffic arrives.' },
  MESH034: { severity: 'error', title: 'No cross-network Gateway', description: 'There is no Istio Gateway with AUTO_PASSTHROUGH on 15443 selecting the east-west gateway; cross-network traffic is reset.' },
  MESH035: { severity: 'error', title: 'Network label missing or inconsistent', description: 'The topology.istio.io/network label is missing on the istio-system namespace or the east-west gateway, or the two disagree.' },
  MESH040: { severity: 'warning', title: 'Nodes without region/zone labels', description: 'Nodes lack topology.kubernetes.io/region or zone labels, so locality load balancing cannot place their endpoints.' },
  MESH041: { severity: 'error', title: 'Invalid distribute weights', description: 'A DestinationRule distribute rule has weights outside 1–100 or not summing to 100 (istiod rejects it).' },
  MESH042: { severity: 'warning', title: 'Unknown locality in a policy', description: 'A locality named in distribute from/to or failover exists in no cluster of the mesh.' },
  MESH043: { severity: 'warning', title: 'Failover without outlierDetection', description: 'A DestinationRule sets locality failover but no outlierDetection, so Envoy never fails over.' },
  MESH044: { severity: 'error', title: 'Both distribute and failover set', description: 'A DestinationRule sets both distribute and failover; Istio rejects the combination.' },
  MESH045: { severity: 'warning', title: 'maxEjectionPercent blocks full failover', description: 'outlierDetection.maxEjectionPercent is below 100 with failover, so Envoy cannot eject every failing endpoint and never fully fails over.' },
  MESH050: { severity: 'warning', title: 'Service definition differs across clusters', description: 'The same Service (namespace/name) has different ports, port names, protocols or selector in different clusters.' },
  MESH051: { severity: 'info', title: 'Mesh Service missing in some clusters', description: 'A Service of an onboarded namespace exists in some clusters only; clients there cannot resolve it without DNS proxying.' },
  MESH052: { severity: 'warning', title: 'Traffic or security policy differs across clusters', description: 'A DestinationRule, VirtualService or PeerAuthentication differs across clusters or exists in only some. Primaries do not share Istio config.' },
  MESH060: { severity: 'warning', title: 'Conflicting injection labels', description: 'A namespace has both istio-injection and istio.io/rev; the legacy label wins and the revision is ignored.' },
  MESH061: { severity: 'error', title: 'Namespace points to a missing revision', description: 'A namespace\'s istio.io/rev names a revision with no control plane in that cluster: its pods get no sidecar.' },
  MESH062: { severity: 'warning', title: 'Namespace onboarded in some clusters only', description: 'A namespace is onboarded into the mesh in some clusters and not in others.' },
  MESH063: { severity: 'warning', title: 'Pods without a sidecar', description: 'Pods in an onboarded namespace run without an istio-proxy sidecar (restart them after onboarding).' },
  MESH070: { severity: 'warning', title: 'mTLS mode differs across clusters', description: 'The effective PeerAuthentication mode of a namespace differs across clusters (one-directional failures).' },
  MESH071: { severity: 'error', title: 'Cross-network traffic not ISTIO_MUTUAL', description: 'Traffic to a remote network would not be Istio mTLS (PeerAuthentication DISABLE, DestinationRule tls.mode, or no sidecar), so istiod drops the remote endpoints.' },
  MESH080: { severity: 'warning', title: 'Live traffic differs from the expected split', description: 'The measured split from a client locality differs from the split the traffic policies predict by more than 15 percentage points.' },
  MESH081: { severity: 'warning', title: 'Cross-cluster calls unhealthy', description: 'Cross-cluster calls have a 5xx ratio above 1% or a p95 latency more than 3× the local p95.' },
  MESH090: { severity: 'error', title: 'Cluster unreachable', description: 'The plugin could not reach the cluster\'s API server, or it timed out; its last good data is shown as stale.' },
  MESH091: { severity: 'error', title: 'Cluster credentials rejected', description: 'The cluster answered 401: the service account token is wrong or expired.' },
  MESH092: { severity: 'warning', title: 'Access denied to a resource', description: 'The cluster answered 403 for a resource the plugin reads; the finding names the RBAC rule to add.' },
} as const satisfies Record<string, FindingCodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;

export const ALL_FINDING_CODES = Object.keys(FINDING_CODES) as FindingCode[];
