/** Annotations of Backstage's Kubernetes plugin: an entity with a Kubernetes tab gets a mesh tab too. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/** Label the Kubernetes plugin uses to find an entity's objects from `backstage.io/kubernetes-id`. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** Labels and names from Istio and Alauda Service Mesh. */
export const LABELS = {
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  subzone: 'topology.istio.io/subzone',
  network: 'topology.istio.io/network',
  istioLocality: 'istio-locality',
  revision: 'istio.io/rev',
  /** On a MutatingWebhookConfiguration: the revision tag it implements (istioctl tag set). */
  revisionTag: 'istio.io/tag',
  injection: 'istio-injection',
  alaudaServiceMesh: 'cpaas.io/serviceMesh',
  multiClusterSecret: 'istio/multiCluster',
  sidecarInject: 'sidecar.istio.io/inject',
  tlsMode: 'security.istio.io/tlsMode',
  meshGroup: 'asm.cpaas.io/meshgroup',
} as const;

export const REMOTE_SECRET_CLUSTER_ANNOTATION = 'networking.istio.io/cluster';
export const REMOTE_SECRET_PREFIX = 'istio-remote-secret-';
export const ISTIO_SYSTEM_NAMESPACE = 'istio-system';
export const ROOT_CA_CONFIGMAP = 'istio-ca-root-cert';
export const CROSS_NETWORK_PORT = 15443;
/** Namespaces that must never be onboarded or relabelled. */
export const SYSTEM_NAMESPACES = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'istio-system',
  'cpaas-system',
  'default',
];
