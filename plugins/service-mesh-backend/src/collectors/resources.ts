/*
 * The list calls the collectors make: one paginated list per resource type and cluster (cluster-wide unless a
 * namespace is given), never one call per object or per namespace.
 */
import {
  ISTIO_SYSTEM_NAMESPACE,
  LABELS,
  rbacRule as commonRbacRule,
} from '@internal/plugin-service-mesh-common';

export interface ResourceSpec {
  /** Human-readable kind, for messages and malformed-object records. */
  kind: string;
  /** API group; '' for the core group. */
  group: string;
  /** Versions to try in order; the next one is tried when the API server answers 404 for the type. */
  versions: string[];
  /** Plural resource name, as in RBAC rules. */
  resource: string;
  /** Restrict the list to one namespace (narrower RBAC, e.g. secrets in istio-system only). */
  namespace?: string;
  labelSelector?: string;
  /** List as PartialObjectMetadataList: only metadata crosses the wire. */
  metadataOnly?: boolean;
  /** A custom resource: 404 for every version means "not installed", an empty list, not an error. */
  optional?: boolean;
  /** Without these the cluster's mesh data is meaningless: if all are forbidden the cluster is in error. */
  essential?: boolean;
}

export const RESOURCES = {
  serviceMeshes: {
    kind: 'ServiceMesh',
    group: 'asm.alauda.io',
    versions: ['v1alpha1'],
    resource: 'servicemeshes',
    optional: true,
  },
  deployments: {
    kind: 'Deployment',
    group: 'apps',
    versions: ['v1'],
    resource: 'deployments',
    essential: true,
  },
  istioConfigMaps: {
    kind: 'ConfigMap',
    group: '',
    versions: ['v1'],
    resource: 'configmaps',
    namespace: ISTIO_SYSTEM_NAMESPACE,
  },
  namespaces: {
    kind: 'Namespace',
    group: '',
    versions: ['v1'],
    resource: 'namespaces',
    essential: true,
  },
  services: {
    kind: 'Service',
    group: '',
    versions: ['v1'],
    resource: 'services',
    essential: true,
  },
  gateways: {
    kind: 'Gateway',
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'gateways',
    optional: true,
  },
  remoteSecrets: {
    kind: 'Secret',
    group: '',
    versions: ['v1'],
    resource: 'secrets',
    namespace: ISTIO_SYSTEM_NAMESPACE,
    labelSelector: `${LABELS.multiClusterSecret}=true`,
    // Never fetch secret data: the API server sends names, labels and annotations only.
    metadataOnly: true,
  },
  // Revision tags (istioctl tag set): the tag and its revision are labels; the webhooks' CA bundles are not needed.
  tagWebhooks: {
    kind: 'MutatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    resource: 'mutatingwebhookconfigurations',
    labelSelector: LABELS.revisionTag,
    metadataOnly: true,
  },
  // Only labels are needed; node status (images, conditions) is large.
  nodes: {
    kind: 'Node',
    group: '',
    versions: ['v1'],
    resource: 'nodes',
    metadataOnly: true,
    essential: true,
  },
  pods: {
    kind: 'Pod',
    group: '',
    versions: ['v1'],
    resource: 'pods',
    essential: true,
  },
  endpointSlices: {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    versions: ['v1'],
    resource: 'endpointslices',
    essential: true,
  },
  destinationRules: {
    kind: 'DestinationRule',
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'destinationrules',
    optional: true,
  },
  virtualServices: {
    kind: 'VirtualService',
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'virtualservices',
    optional: true,
  },
  peerAuthentications: {
    kind: 'PeerAuthentication',
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    resource: 'peerauthentications',
    optional: true,
  },
  // Primaries do not share Istio config: compared across clusters like the three above (policyDrift.ts).
  authorizationPolicies: {
    kind: 'AuthorizationPolicy',
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    resource: 'authorizationpolicies',
    optional: true,
  },
  sidecars: {
    kind: 'Sidecar',
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'sidecars',
    optional: true,
  },
  serviceEntries: {
    kind: 'ServiceEntry',
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'serviceentries',
    optional: true,
  },
} satisfies Record<string, ResourceSpec>;

export type ResourceKey = keyof typeof RESOURCES;

/** The list path of a resource at one version. */
export function listPath(spec: ResourceSpec, version: string): string {
  const base = spec.group
    ? `/apis/${spec.group}/${version}`
    : `/api/${version}`;
  const ns = spec.namespace
    ? `/namespaces/${encodeURIComponent(spec.namespace)}`
    : '';
  return `${base}${ns}/${spec.resource}`;
}

/** The RBAC rule that grants the list (and watch) calls, for MESH092 hints: one definition, in -common. */
export function rbacRule(spec: ResourceSpec): string {
  return commonRbacRule(spec);
}
