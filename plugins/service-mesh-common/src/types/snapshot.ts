/*
 * The mesh snapshot: what the backend's collectors read from each cluster, reduced to plain, compact data.
 * Analysis (findings, locality simulation) is a pure function of this data, so it runs in the backend and, for
 * what-if views, in the browser. Nothing here carries secret material: remote secrets are known by their
 * metadata only, and secret-looking fields of custom resources are redacted before they get here.
 *
 * Each shape is declared once, as a schema (schema/lenient.ts) that gives both the type and its validation:
 * `parseSnapshot` runs where data enters (the collectors' output, a snapshot decoded from the store, anything
 * handed to the analysis), so the checks read trusted data. A new field goes here and nowhere else.
 */
import {
  boolean,
  constant,
  count,
  type Infer,
  list,
  number,
  object,
  oneOf,
  optional,
  partialRecord,
  record,
  Schema,
  string,
  stringRecord,
} from '../schema/lenient';

const text = () => string().or('');
const strings = () => list(string()).or([]);
const byName = (x: { namespace: string; name: string }) =>
  `${x.namespace}/${x.name}`;

/** A locality as Istio/Envoy see it: region/zone/subzone, any part may be empty. */
export const localitySchema = object({
  region: text(),
  zone: text(),
  subzone: optional(string()),
});
export type Locality = Infer<typeof localitySchema>;

/** Alauda `ServiceMesh` (asm.alauda.io/v1alpha1), one per business cluster, held by the management cluster. */
export const serviceMeshResourceSchema = object(
  {
    name: string(),
    namespace: text(),
    /** `spec.cluster`: the business cluster this mesh instance is installed on (its name when unset). */
    cluster: text(),
    /** Label `asm.cpaas.io/meshgroup`: the multi-cluster mesh this instance belongs to. */
    meshGroup: optional(string()),
    istioVersion: optional(string()),
    multiCluster: optional(
      object({
        enabled: boolean().or(false),
        isMultiNetwork: boolean().or(false),
        istioNetwork: optional(string()),
      }),
    ),
    monitorType: optional(string()),
    prometheusURL: optional(string()),
    /** `status.phase` (e.g. Deployed, Deploying, Failed). */
    phase: optional(string()),
    /** `status.synthesisPhase`. */
    synthesisPhase: optional(string()),
    state: optional(string()),
    version: optional(string()),
    desiredVersion: optional(string()),
    /** The spec as read, with secret-looking fields replaced by `REDACTED`. */
    spec: record().or({}),
  },
  sm => (sm.cluster ? sm : { ...sm, cluster: sm.name }),
);
export type ServiceMeshResource = Infer<typeof serviceMeshResourceSchema>;

/** One istiod revision running in a cluster (an upstream Istio control plane). */
export const controlPlaneSchema = object({
  /** `istio.io/rev` of the istiod Deployment; `default` when unlabelled. */
  revision: string().or('default'),
  namespace: string().or('istio-system'),
  deployment: string().or('istiod'),
  /** Istio version from the proxy image tag or `app.kubernetes.io/version`/`operator.istio.io/version` labels. */
  version: optional(string()),
  desiredReplicas: count(),
  readyReplicas: count(),
  /** Values of the istiod `CLUSTER_ID` env, when set. */
  clusterId: optional(string()),
  /**
   * istiod env `RESOLVE_HOSTNAME_GATEWAYS` when set (Istio's default is true): false makes istiod drop network
   * gateways whose address is a hostname (pilot/pkg/model/network.go resolveHostnameGateways).
   */
  resolveHostnameGateways: optional(boolean()),
});
export type ControlPlane = Infer<typeof controlPlaneSchema>;

/** meshConfig `meshNetworks` (istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshNetworks). */
export const meshNetworksSchema = object({
  networks: list(
    object({
      /** The network name, as in `topology.istio.io/network`. */
      name: string(),
      /** `endpoints[].fromRegistry`: clusters (istiod cluster IDs) whose endpoints are on this network. */
      fromRegistries: strings(),
      /** `endpoints[].fromCidr`. */
      fromCidrs: strings(),
      gateways: list(
        object({
          /** A Service FQDN in a `fromRegistry` cluster whose external address is the gateway. */
          registryServiceName: optional(string()),
          /** A fixed gateway address (IP or hostname). */
          address: optional(string()),
          port: number(),
        }),
      ).or([]),
    }),
  ).or([]),
});
export type MeshNetworks = Infer<typeof meshNetworksSchema>;

/** The mesh ConfigMap of a revision (`istio` or `istio-<rev>`). */
export const meshConfigInfoSchema = object({
  revision: string().or('default'),
  namespace: string().or('istio-system'),
  configMap: string().or('istio'),
  meshId: optional(string()),
  trustDomain: optional(string()),
  /** `defaultConfig.meshId`/network hints from the mesh config, if any. */
  network: optional(string()),
  /** Mesh-wide `localityLbSetting.enabled`; Istio's default is true. */
  localityLbEnabled: optional(boolean()),
  /** Mesh-wide `enableAutoMtls`; Istio's default is true. */
  enableAutoMtls: optional(boolean()),
  /** `rootNamespace`: where mesh-wide policies live; Istio's default is istio-system. */
  rootNamespace: optional(string()),
  /** `defaultDestinationRuleExportTo`; unset means `*`. */
  defaultDestinationRuleExportTo: optional(list(string())),
  /** `defaultVirtualServiceExportTo`; unset means `*`. */
  defaultVirtualServiceExportTo: optional(list(string())),
  /** The `meshNetworks` key of the same ConfigMap, when it names any network (Istio's default is empty). */
  meshNetworks: optional(meshNetworksSchema),
});
export type MeshConfigInfo = Infer<typeof meshConfigInfoSchema>;

/**
 * A revision tag: a MutatingWebhookConfiguration labelled `istio.io/tag=<tag>`, read as metadata only. `istioctl
 * tag set <tag> --revision <rev>` writes the revision it points at as the webhook's `istio.io/rev` label
 * (istioctl/pkg/tag/util.go GetWebhookTagName, GetWebhookRevision).
 */
export const revisionTagSchema = object({
  tag: string(),
  /** Label `istio.io/rev`: the revision the tag points at (absent: the webhook names none). */
  revision: optional(string()),
  /** The MutatingWebhookConfiguration's name, e.g. `istio-revision-tag-prod`. */
  webhook: string(),
});
export type RevisionTag = Infer<typeof revisionTagSchema>;

/** A Kubernetes LabelSelector (matchLabels and matchExpressions), as the injector's config holds them. */
export const labelSelectorSchema = object({
  matchLabels: optional(stringRecord()),
  matchExpressions: optional(
    list(
      object({
        key: string(),
        operator: string(),
        values: strings(),
      }),
    ),
  ),
});
export type LabelSelectorSpec = Infer<typeof labelSelectorSchema>;

/**
 * The sidecar injector's settings of a revision, from ConfigMap `istio-sidecar-injector` (default revision) or
 * `istio-sidecar-injector-<rev>`, key `config` (pkg/kube/inject/inject.go Config): what injectRequired reads.
 */
export const injectorConfigSchema = object({
  revision: string().or('default'),
  configMap: string(),
  /** `policy`: `enabled` (Istio's default) or `disabled` (only pods with sidecar.istio.io/inject=true). */
  policy: optional(string()),
  neverInjectSelector: list(labelSelectorSchema).or([]),
  alwaysInjectSelector: list(labelSelectorSchema).or([]),
});
export type InjectorConfig = Infer<typeof injectorConfigSchema>;

export type GatewayHealth = 'healthy' | 'degraded' | 'down' | 'absent';

/** A Service's `targetPort`: a number, or a container port name. */
const targetPort = new Schema<number | string>(value =>
  typeof value === 'string' ? string().parse(value) : number().parse(value),
);

export const servicePortInfoSchema = object({
  name: optional(string()),
  port: number(),
  /** `nodePort` (kept for east-west gateways only: node ports differ per cluster). */
  nodePort: optional(number()),
  targetPort: optional(targetPort),
  protocol: optional(string()),
  appProtocol: optional(string()),
});
export type ServicePortInfo = Infer<typeof servicePortInfoSchema>;

const ports = () => list(servicePortInfoSchema).or([]);

/** A node a NodePort gateway selects: istiod publishes its first ExternalIP (never the InternalIP). */
export const gatewayNodeSchema = object({
  name: string(),
  externalIP: optional(string()),
  internalIP: optional(string()),
});
export type GatewayNode = Infer<typeof gatewayNodeSchema>;

/**
 * The east-west gateway of a cluster: its Deployment and its Service labelled `topology.istio.io/network` (or named
 * by a meshNetworks `registryServiceName`).
 */
export const eastWestGatewaySchema = object({
  namespace: string().or('istio-system'),
  /** Service name; the Deployment is matched by the Service selector. */
  name: string(),
  deployment: optional(string()),
  network: optional(string()),
  serviceType: optional(string()),
  /**
   * LoadBalancer ingress IPs/hostnames and externalIPs, as read. Which of them istiod publishes (and the node
   * addresses of a NodePort gateway) is decided in analysis/reachability/gatewayExposure.ts.
   */
  addresses: strings(),
  /** The subset of `addresses` that comes from `spec.externalIPs` (absent in older snapshots). */
  externalIPs: optional(list(string())),
  /**
   * Annotation `traffic.istio.io/nodeSelector`, parsed as istiod parses it (an unparsable value selects every
   * node); absent when the Service has no such annotation.
   */
  nodeSelector: optional(stringRecord()),
  /** For a NodePort gateway with a node selector: the nodes it selects (absent: they could not be read). */
  selectedNodes: optional(list(gatewayNodeSchema)),
  /** Label `networking.istio.io/gatewayPort` as written: the Service port for cross-network mTLS (default 15443). */
  gatewayPortLabel: optional(string()),
  ports: ports(),
  desiredReplicas: count(),
  readyReplicas: count(),
  /** Labels of the gateway pods/Deployment template (for the cross-network Gateway selector). */
  podLabels: stringRecord().or({}),
});
export type EastWestGateway = Infer<typeof eastWestGatewaySchema>;

/** An Istio `Gateway` (networking.istio.io) in the cluster: kept when it serves 15443 or AUTO_PASSTHROUGH. */
export const istioGatewayResourceSchema = object({
  namespace: text(),
  name: string(),
  selector: stringRecord().or({}),
  servers: list(
    object({
      port: number(),
      protocol: optional(string()),
      tlsMode: optional(string()),
      hosts: strings(),
    }),
  ).or([]),
});
export type IstioGatewayResource = Infer<typeof istioGatewayResourceSchema>;

/** A remote secret (label `istio/multiCluster=true`), read as metadata only. */
export const remoteSecretSchema = object({
  namespace: string().or('istio-system'),
  name: string(),
  /**
   * The cluster it gives access to: annotation `networking.istio.io/cluster`, else the name without the
   * `istio-remote-secret-` prefix. (The data key is the real cluster ID, but secret data is never fetched.)
   */
  cluster: string(),
});
export type RemoteSecret = Infer<typeof remoteSecretSchema>;

/** A CA certificate of the root bundle that is not self-signed (an intermediate put into root-cert.pem). */
export const intermediateCaSchema = object({
  fingerprint: string(),
  subject: optional(string()),
  issuer: optional(string()),
  notAfter: optional(string()),
});
export type IntermediateCA = Infer<typeof intermediateCaSchema>;

/** One certificate of the root bundle. */
export const rootCertificateSchema = object({
  /** SHA-256 fingerprint of the DER certificate, upper-case hex with colons. */
  fingerprint: string(),
  subject: optional(string()),
  notAfter: optional(string()),
});
export type RootCertificate = Infer<typeof rootCertificateSchema>;

/**
 * Root CA from ConfigMap `istio-ca-root-cert` (`root-cert.pem`): public, safe to read. During a root rotation
 * the bundle holds several roots (old and new); `roots` lists them all, the top-level fields are the first's.
 */
export const rootCaSchema = object({
  /** SHA-256 fingerprint of the first DER certificate, upper-case hex with colons. */
  fingerprint: string(),
  subject: optional(string()),
  notAfter: optional(string()),
  /** Every certificate of the bundle, in order (absent in older snapshots: then only `fingerprint` is known). */
  roots: optional(list(rootCertificateSchema)),
  /** Where it was read, e.g. `istio-system/istio-ca-root-cert`. */
  source: text(),
  error: optional(string()),
  /** CA certificates of the bundle that are not self-signed (an intermediate put into root-cert.pem). */
  intermediates: optional(list(intermediateCaSchema)),
});
export type RootCA = Infer<typeof rootCaSchema>;

/** Node locality summary: region/zone → node count; nodes missing labels are listed by name. */
export const nodeLocalitiesSchema = object(
  {
    total: count(),
    byLocality: list(
      object({ region: text(), zone: text(), nodes: count() }),
    ).or([]),
    /** Names of nodes without `topology.kubernetes.io/region` or `zone` (at most 50 listed). */
    unlabelled: strings(),
    unlabelledCount: count(),
  },
  // Counts are at least what is listed.
  n => {
    const listed = n.byLocality.reduce((s, l) => s + l.nodes, 0);
    return n.total >= listed && n.unlabelledCount >= n.unlabelled.length
      ? n
      : {
          ...n,
          total: Math.max(n.total, listed),
          unlabelledCount: Math.max(n.unlabelledCount, n.unlabelled.length),
        };
  },
);
export type NodeLocalities = Infer<typeof nodeLocalitiesSchema>;

const NO_NODES: NodeLocalities = Object.freeze({
  total: 0,
  byLocality: [],
  unlabelled: [],
  unlabelledCount: 0,
});

export const meshNamespaceSchema = object({
  name: string(),
  labels: stringRecord().or({}),
  /** Derived: `cpaas.io/serviceMesh`, `istio.io/rev` or `istio-injection=enabled` present. */
  onboarded: boolean().or(false),
  /**
   * The revision the labels ask for (`default` for istio-injection=enabled): a revision or a revision tag, resolved
   * by analysis/revisions.ts.
   */
  revision: optional(string()),
  /** Istio's `networking.istio.io/traffic-distribution` annotation, inherited by the namespace's Services. */
  trafficDistribution: optional(string()),
});
export type MeshNamespace = Infer<typeof meshNamespaceSchema>;

const NO_LOCALITY: Locality = Object.freeze({ region: '', zone: '' });

/** Endpoint counts of one service in one locality of one cluster. */
export const endpointGroupSchema = object({
  locality: localitySchema.or(NO_LOCALITY),
  ready: count(),
  notReady: count(),
});
export type EndpointGroup = Infer<typeof endpointGroupSchema>;

/** A Service in a mesh namespace, with its endpoints reduced to counts per locality. */
export const meshServiceSchema = object({
  namespace: string(),
  name: string(),
  labels: stringRecord().or({}),
  type: optional(string()),
  selector: stringRecord().or({}),
  ports: ports(),
  headless: boolean().or(false),
  endpoints: list(endpointGroupSchema).or([]),
  /** `spec.trafficDistribution` as written (resolved with the annotations by resolveTrafficDistribution). */
  trafficDistribution: optional(string()),
  /** Istio's `networking.istio.io/traffic-distribution` annotation on the Service. */
  trafficDistributionAnnotation: optional(string()),
});
export type MeshService = Infer<typeof meshServiceSchema>;

/** Pods of one workload without a sidecar that look the same to the injector. */
export const uninjectedPodsSchema = object({
  pods: count(),
  /** `spec.hostNetwork`. */
  hostNetwork: boolean().or(false),
  /** Label `sidecar.istio.io/inject`, when present (it wins over the annotation). */
  injectLabel: optional(string()),
  /** Annotation `sidecar.istio.io/inject`, when present. */
  injectAnnotation: optional(string()),
  /** The pods' labels without the per-pod ones (pod-template-hash, …): what never/alwaysInjectSelector match. */
  labels: stringRecord().or({}),
});
export type UninjectedPods = Infer<typeof uninjectedPodsSchema>;

/** Pods grouped by owner (Deployment/StatefulSet/… or bare pod), with sidecar coverage. */
export const meshWorkloadSchema = object({
  namespace: string(),
  name: string(),
  kind: string().or('Pod'),
  labels: stringRecord().or({}),
  pods: count(),
  readyPods: count(),
  /** Pods with an `istio-proxy` container (or native sidecar). */
  podsWithSidecar: count(),
  /** Pods that opted out with `sidecar.istio.io/inject=false` (label, else annotation). */
  podsOptedOut: count(),
  /**
   * The pods without a sidecar, grouped by what Istio's injector decides on (pkg/kube/inject/inject.go
   * injectRequired): whether analysis/injection.ts expects a sidecar on them is decided from these facts.
   */
  uninjected: list(uninjectedPodsSchema).or([]),
  localities: list(
    object({
      region: text(),
      zone: text(),
      subzone: optional(string()),
      pods: count(),
    }),
  ).or([]),
});
export type MeshWorkload = Infer<typeof meshWorkloadSchema>;

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export const POLICY_KINDS = [
  'DestinationRule',
  'VirtualService',
  'PeerAuthentication',
  'AuthorizationPolicy',
  'Sidecar',
  'ServiceEntry',
] as const;

/** An Istio policy resource reduced to what the analysis compares; `spec` is kept for drift checks. */
function policyResourceSchema<K extends (typeof POLICY_KINDS)[number]>(
  kind: K,
) {
  return object({
    kind: constant(kind),
    namespace: string(),
    name: string(),
    /** `metadata.creationTimestamp` (ISO 8601): Istio applies the oldest of competing rules first. */
    creationTimestamp: optional(string()),
    spec: record().or({}),
  });
}
export type PolicyResource = Infer<
  ReturnType<typeof policyResourceSchema<(typeof POLICY_KINDS)[number]>>
>;

const policies = (kind: (typeof POLICY_KINDS)[number]) =>
  list<PolicyResource>(policyResourceSchema(kind), { key: byName }).or([]);

/**
 * The codes of collection failures: MESH090–092 from the API server's answer, MESH094–097 from cluster access
 * (client-side or unknown auth provider, missing credentials, token endpoint or cluster source down).
 */
export const COLLECTION_ERROR_CODES = [
  'MESH090',
  'MESH091',
  'MESH092',
  'MESH094',
  'MESH095',
  'MESH096',
  'MESH097',
] as const;

export type CollectionErrorCode = (typeof COLLECTION_ERROR_CODES)[number];

/** A failure reading a cluster or part of it. */
export const collectionErrorSchema = object({
  code: oneOf(COLLECTION_ERROR_CODES).or('MESH090'),
  message: text(),
  /** The fix, when the collector knows it better than the code's generic one (cluster access problems). */
  hint: optional(string()),
  /** For MESH092: the resource (plural, with group) the plugin was refused. */
  resource: optional(string()),
  /** For MESH092: the RBAC rule to add. */
  rbacRule: optional(string()),
});
export type CollectionError = Infer<typeof collectionErrorSchema>;

/** xDS types whose sync state istiod reports per proxy (`/debug/syncz`), as `istioctl proxy-status` names them. */
export const XDS_TYPES = ['CDS', 'LDS', 'EDS', 'RDS', 'ECDS'] as const;
export type XdsType = (typeof XDS_TYPES)[number];

/**
 * Per-type state, derived as istiod does for `istioctl proxy-status` (pilot/pkg/xds/statusgen.go
 * `debugSyncStatus`): ERROR when the proxy NACKed (lastError), NOT SENT when nothing was pushed, SYNCED when the
 * last nonce sent was ACKed, else STALE.
 */
export const XDS_STATES = ['SYNCED', 'STALE', 'NOT SENT', 'ERROR'] as const;
export type XdsState = (typeof XDS_STATES)[number];

/** One proxy connected to an istiod, for the drill-down (only proxies that are not fully synced are kept). */
export const proxySyncRowSchema = object({
  /** Pod name and namespace, from istiod's proxy id `<pod>.<namespace>`. */
  pod: string(),
  namespace: string(),
  /** The proxy's ISTIO_META_CLUSTER_ID. */
  clusterId: optional(string()),
  /** `sidecar`, `router` (gateways), `waypoint`, `ztunnel`. */
  proxyType: optional(string()),
  version: optional(string()),
  xds: partialRecord(
    XDS_TYPES,
    object({
      state: oneOf(XDS_STATES),
      /** istiod's `sentTime` of the last push (ISO 8601); for NOT SENT, the proxy's earliest push of any type. */
      since: optional(string()),
      error: optional(string()),
    }),
  ).or({}),
});
export type ProxySyncRow = Infer<typeof proxySyncRowSchema>;

/** Proxy sync counts of one (proxy cluster, namespace). A proxy counts once, under its worst state. */
export const proxyNamespaceSyncSchema = object({
  clusterId: text(),
  namespace: string(),
  proxies: count(),
  synced: count(),
  stale: count(),
  notSent: count(),
  error: count(),
});
export type ProxyNamespaceSync = Infer<typeof proxyNamespaceSyncSchema>;

/** What one istiod reports of its connected proxies (`/debug/syncz`), reduced to counts plus the problem rows. */
export const istiodProxySyncSchema = object(
  {
    total: count(),
    /** Proxies whose every type is SYNCED. */
    synced: count(),
    byNamespace: list(proxyNamespaceSyncSchema).or([]),
    /** Proxy versions (`istio_version`) → number of proxies. */
    versions: list(object({ version: string(), proxies: count() })).or([]),
    /** Proxies with a type STALE, NOT SENT or ERROR, oldest problem first, at most `rowsCap`. */
    rows: list(proxySyncRowSchema).or([]),
    /** How many proxies are not fully synced (rows may be capped below it). */
    rowsTotal: count(),
  },
  p => (p.rowsTotal >= p.rows.length ? p : { ...p, rowsTotal: p.rows.length }),
);
export type IstiodProxySync = Infer<typeof istiodProxySyncSchema>;

/** A remote cluster as istiod's `/debug/clusterz` lists it (pkg/cluster/debug.go DebugInfo). */
export const istiodRemoteClusterSchema = object({
  /** The cluster ID: the data key of the remote secret. */
  id: string(),
  /** `<namespace>/<secret name>`. */
  secretName: text(),
  /** `synced`, `syncing`, `timeout` (first sync did not finish within PILOT_REMOTE_CLUSTER_TIMEOUT) or `closed`. */
  syncStatus: text(),
});
export type IstiodRemoteCluster = Infer<typeof istiodRemoteClusterSchema>;

/**
 * How the plugin read one istiod's debug endpoints: `forbidden` (403 on pods/portforward or pods/proxy), `disabled`
 * (ENABLE_DEBUG_ON_HTTP=false: 404), `unauthenticated` (istiod answered 401: it serves /debug only to localhost or
 * authenticated callers), `unreachable` (the API server could not forward to the pod, or it timed out), `error`.
 */
export const ISTIOD_VIEW_STATUSES = [
  'ok',
  'forbidden',
  'unreachable',
  'disabled',
  'unauthenticated',
  'error',
] as const;
export type IstiodViewStatus = (typeof ISTIOD_VIEW_STATUSES)[number];

/** The control plane's own view of one revision in one cluster: remote clusters and proxy sync. */
export const istiodViewSchema = object({
  revision: string(),
  namespace: string().or('istio-system'),
  /** The istiod pod that answered (or the last one tried). */
  pod: optional(string()),
  status: oneOf(ISTIOD_VIEW_STATUSES).or('error'),
  error: optional(string()),
  /** For `forbidden`: the RBAC rule to add. */
  rbacRule: optional(string()),
  /** istiod's clock when it answered syncz (its HTTP Date header), the reference for proxy ages. */
  observedAt: optional(string()),
  /**
   * The plugin's clock when `proxies` was read. syncz is read on its own interval
   * (`serviceMesh.istiod.proxySyncIntervalSeconds`), so between reads a view carries the last result with this time.
   */
  proxiesReadAt: optional(string()),
  /** The local cluster's ID as istiod reports it (clusterz's first row). */
  clusterId: optional(string()),
  /** Remote clusters (the local one excluded); absent when clusterz could not be read. */
  remoteClusters: optional(list(istiodRemoteClusterSchema)),
  /** Absent when syncz could not be read. */
  proxies: optional(istiodProxySyncSchema),
});
export type IstiodView = Infer<typeof istiodViewSchema>;

/** Everything read from one cluster in one successful refresh. */
export const clusterMeshDataSchema = object({
  serviceMeshes: list(serviceMeshResourceSchema).or([]),
  controlPlanes: list(controlPlaneSchema).or([]),
  meshConfigs: list(meshConfigInfoSchema).or([]),
  /** Revision tags (`istio.io/tag` webhooks). */
  revisionTags: list(revisionTagSchema, { key: t => t.webhook }).or([]),
  /** The sidecar injector's config per revision. */
  injectors: list(injectorConfigSchema, { key: i => i.configMap }).or([]),
  /** Label `topology.istio.io/network` of the istio-system namespace. */
  systemNamespaceNetwork: optional(string()),
  /**
   * Annotation `topology.istio.io/controlPlaneClusters` of istio-system: on a remote cluster (no istiod), the
   * clusters whose istiod configures its proxies (`*`: any).
   */
  controlPlaneClusters: optional(list(string())),
  eastWestGateways: list(eastWestGatewaySchema, { key: byName }).or([]),
  gateways: list(istioGatewayResourceSchema).or([]),
  remoteSecrets: list(remoteSecretSchema).or([]),
  rootCA: optional(rootCaSchema),
  nodes: nodeLocalitiesSchema.or(NO_NODES),
  /** Duplicates merge: onboarded if any copy says so. */
  namespaces: list(meshNamespaceSchema, {
    key: ns => ns.name,
    merge: (kept, other) => (other.onboarded && !kept.onboarded ? other : kept),
  }).or([]),
  services: list(meshServiceSchema, { key: byName }).or([]),
  workloads: list(meshWorkloadSchema, {
    key: w => `${w.kind}/${byName(w)}`,
  }).or([]),
  destinationRules: policies('DestinationRule'),
  virtualServices: policies('VirtualService'),
  peerAuthentications: policies('PeerAuthentication'),
  authorizationPolicies: policies('AuthorizationPolicy'),
  sidecars: policies('Sidecar'),
  serviceEntries: policies('ServiceEntry'),
  /** Partial failures: resources that could not be read (403) or objects that were malformed and skipped. */
  partialErrors: list(collectionErrorSchema).or([]),
  malformedObjects: list(
    object({
      kind: text(),
      namespace: optional(string()),
      name: optional(string()),
      reason: text(),
    }),
  ).or([]),
  /**
   * What istiod itself reports, one entry per revision with a running istiod pod (observed state, read through
   * the pod proxy subresource). Absent: not collected (older snapshots, or the cluster runs no istiod).
   */
  istiod: optional(list(istiodViewSchema)),
});
export type ClusterMeshData = Infer<typeof clusterMeshDataSchema>;

/** `pending`: configured, not read yet (before the first refresh completes). */
export const CLUSTER_STATUSES = [
  'ok',
  'stale',
  'unreachable',
  'unauthorized',
  'error',
  'pending',
] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

const clusterSnapshotShape = {
  name: string(),
  /** Configured or discovered: the management cluster holds ServiceMesh resources only. */
  role: oneOf(['member', 'management'] as const).or('member'),
  /** When missing or unknown: `ok` with data, else `error`. */
  status: oneOf(CLUSTER_STATUSES).or('error'),
  error: optional(collectionErrorSchema),
  /** Time of the last successful read (ISO 8601). */
  lastSyncedAt: optional(string()),
  lastAttemptAt: optional(string()),
  /** Milliseconds the last attempt took. */
  durationMs: optional(number()),
  region: optional(string()),
  network: optional(string()),
  /** The last good data; kept (and marked stale) when a later refresh fails. */
  data: optional(clusterMeshDataSchema),
};

const STATUS_SET = new Set<unknown>(CLUSTER_STATUSES);

/** A cluster's entry; without a valid role, the snapshot's `managementCluster` is the management one. */
function clusterSnapshotSchema(managementCluster: string | undefined) {
  return object(clusterSnapshotShape, (c, input) => {
    let role = c.role;
    if (input.role !== 'member' && input.role !== 'management')
      role = c.name === managementCluster ? 'management' : 'member';
    const status = !STATUS_SET.has(input.status) && c.data ? 'ok' : c.status;
    return role === c.role && status === c.status ? c : { ...c, role, status };
  });
}
export type ClusterSnapshot = Infer<ReturnType<typeof clusterSnapshotSchema>>;

/** A cluster locator that did not answer (MESH097) or is not known (MESH095). */
export const clusterSourceErrorSchema = object({
  /** The locator, e.g. `kubernetes.clusterLocatorMethods[1] (catalog)`. */
  source: string(),
  code: oneOf(['MESH095', 'MESH097'] as const).or('MESH097'),
  message: text(),
  hint: text(),
});
export type ClusterSourceError = Infer<typeof clusterSourceErrorSchema>;

const snapshotShape = {
  /** Format version of this structure: a reader discards snapshots of another version. */
  schemaVersion: number().or(1),
  generatedAt: text(),
  managementCluster: optional(string()),
  clusters: list(clusterSnapshotSchema(undefined), {
    key: c => c.name,
  }).or([]),
  /**
   * Cluster sources (catalog, GKE, a custom supplier) that failed at this refresh: clusters they located before
   * are kept; clusters they would add are not known yet.
   */
  sourceErrors: optional(list(clusterSourceErrorSchema)),
};
const meshSnapshotSchema = object(snapshotShape);
export type MeshSnapshot = Infer<typeof meshSnapshotSchema>;

export const MESH_SNAPSHOT_SCHEMA_VERSION = 9;

/** Snapshots that came out of parseSnapshot (and are never mutated after): the analysis does not check them again. */
const parsed = new WeakSet<object>();

/**
 * A well-formed snapshot from whatever arrived (an old store entry, a partial collector result, hand-written JSON):
 * arrays are arrays, counts are non-negative integers, names are strings; objects without the identity fields a
 * check needs are dropped, and so are clusters without a name and duplicate names. A value that already conforms
 * is returned as it is. Never throws.
 */
export function parseSnapshot(value: unknown): MeshSnapshot {
  if (typeof value === 'object' && value !== null && parsed.has(value))
    return value as MeshSnapshot;
  const management = string().parse(
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>).managementCluster
      : undefined,
  );
  const schema = object({
    ...snapshotShape,
    clusters: list(
      clusterSnapshotSchema(
        typeof management === 'string' ? management : undefined,
      ),
      { key: c => c.name },
    ).or([]),
  }).or({ schemaVersion: 1, generatedAt: '', clusters: [] });
  const snapshot = schema.parse(value) as MeshSnapshot;
  parsed.add(snapshot);
  return snapshot;
}

const EMPTY_CLUSTER_DATA = clusterMeshDataSchema.parse({}) as ClusterMeshData;

/** One cluster's data, well-formed (see {@link parseSnapshot}). */
export function parseClusterData(value: unknown): ClusterMeshData {
  return clusterMeshDataSchema
    .or(EMPTY_CLUSTER_DATA)
    .parse(value) as ClusterMeshData;
}

/** A locality, `{region: '', zone: ''}` when unusable. */
export function parseLocality(value: unknown): Locality {
  return localitySchema.or(NO_LOCALITY).parse(value) as Locality;
}
