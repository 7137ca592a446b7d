/*
 * Documentation and source that the checks follow, shared by the finding definitions. Istio source paths are
 * linked on the master branch of github.com/istio/istio.
 */
import type { FindingReference } from '../definition';

const istio = (path: string) => `https://istio.io/latest/docs/${path}`;

/** A file of Istio's source, e.g. `pilot/pkg/xds/endpoints/ep_filters.go`. */
export function istioSource(path: string, what?: string): FindingReference {
  return {
    title: `Istio source: ${path}${what ? ` (${what})` : ''}`,
    url: `https://github.com/istio/istio/blob/master/${path}`,
  };
}

export const ISTIO_DOCS = {
  canaryUpgrade: {
    title: 'Istio: canary upgrades (revisions)',
    url: istio('setup/upgrade/canary/'),
  },
  supportedReleases: {
    title: 'Istio: supported releases',
    url: istio('releases/supported-releases/'),
  },
  sidecarInjection: {
    title: 'Istio: installing the sidecar (injection)',
    url: istio('setup/additional-setup/sidecar-injection/'),
  },
  multiclusterBeforeYouBegin: {
    title: 'Istio multicluster installation: before you begin',
    url: istio('setup/install/multicluster/before-you-begin/'),
  },
  multiPrimary: {
    title: 'Istio: install multi-primary',
    url: istio('setup/install/multicluster/multi-primary/'),
  },
  multiPrimaryMultiNetwork: {
    title: 'Istio: install multi-primary on different networks',
    url: istio('setup/install/multicluster/multi-primary_multi-network/'),
  },
  multiclusterTraffic: {
    title: 'Istio: multicluster traffic management',
    url: istio('ops/configuration/traffic-management/multicluster/'),
  },
  multiclusterTroubleshooting: {
    title: 'Istio: diagnose your multicluster installation',
    url: istio('ops/diagnostic-tools/multicluster/'),
  },
  deploymentModels: {
    title: 'Istio: deployment models (networks, control planes, identity)',
    url: istio('ops/deployment/deployment-models/'),
  },
  meshConfig: {
    title: 'Istio reference: mesh configuration',
    url: istio('reference/config/istio.mesh.v1alpha1/'),
  },
  pluginCa: {
    title: 'Istio: plug in CA certificates',
    url: istio('tasks/security/cert-management/plugin-ca-cert/'),
  },
  gateway: {
    title: 'Istio reference: Gateway',
    url: istio('reference/config/networking/gateway/'),
  },
  localityLb: {
    title: 'Istio: locality load balancing',
    url: istio('tasks/traffic-management/locality-load-balancing/'),
  },
  localityFailover: {
    title: 'Istio: locality failover',
    url: istio('tasks/traffic-management/locality-load-balancing/failover/'),
  },
  localityDistribute: {
    title: 'Istio: locality weighted distribution',
    url: istio('tasks/traffic-management/locality-load-balancing/distribute/'),
  },
  localityLbSetting: {
    title: 'Istio reference: DestinationRule LocalityLoadBalancerSetting',
    url: istio(
      'reference/config/networking/destination-rule/#LocalityLoadBalancerSetting',
    ),
  },
  outlierDetection: {
    title: 'Istio reference: DestinationRule OutlierDetection',
    url: istio(
      'reference/config/networking/destination-rule/#OutlierDetection',
    ),
  },
  destinationRule: {
    title: 'Istio reference: DestinationRule',
    url: istio('reference/config/networking/destination-rule/'),
  },
  peerAuthentication: {
    title: 'Istio reference: PeerAuthentication',
    url: istio('reference/config/security/peer_authentication/'),
  },
  authenticationPolicies: {
    title: 'Istio concepts: authentication policies',
    url: istio('concepts/security/#authentication-policies'),
  },
  dnsProxy: {
    title: 'Istio: DNS proxying',
    url: istio('ops/configuration/traffic-management/dns-proxy/'),
  },
  metrics: {
    title: 'Istio reference: standard metrics',
    url: istio('reference/config/metrics/'),
  },
  ist0123: {
    title: 'istioctl analyze IST0123 (NamespaceMultipleInjectionLabels)',
    url: istio('reference/config/analysis/ist0123/'),
  },
  ist0170: {
    title: 'istioctl analyze IST0170 (MultiClusterInconsistentService)',
    url: istio('reference/config/analysis/ist0170/'),
  },
} satisfies Record<string, FindingReference>;

export const ENVOY_DOCS = {
  outlierDetection: {
    title: 'Envoy: outlier detection',
    url: 'https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier',
  },
  priorityLevels: {
    title: 'Envoy: priority levels',
    url: 'https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/priority',
  },
} satisfies Record<string, FindingReference>;

export const KUBERNETES_DOCS = {
  topologyLabels: {
    title:
      'Kubernetes: well-known labels topology.kubernetes.io/region and zone',
    url: 'https://kubernetes.io/docs/reference/labels-annotations-taints/#topologykubernetesioregion',
  },
  rbac: {
    title: 'Kubernetes: RBAC authorization',
    url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  },
  serviceAccountTokens: {
    title: 'Kubernetes: kubectl create token',
    url: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_create/kubectl_create_token/',
  },
  loadBalancerService: {
    title: 'Kubernetes: Service type LoadBalancer and externalIPs',
    url: 'https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer',
  },
} satisfies Record<string, FindingReference>;

export const BACKSTAGE_DOCS = {
  kubernetesConfig: {
    title: 'Backstage: Kubernetes plugin configuration (clusterLocatorMethods)',
    url: 'https://backstage.io/docs/features/kubernetes/configuration/',
  },
  kubernetesAuthentication: {
    title:
      'Backstage: Kubernetes authentication (server-side and client-side providers)',
    url: 'https://backstage.io/docs/features/kubernetes/authentication/',
  },
  kubernetesAuthStrategies: {
    title:
      'Backstage source: plugins/kubernetes-backend/src/auth (the auth strategies)',
    url: 'https://github.com/backstage/backstage/tree/master/plugins/kubernetes-backend/src/auth',
  },
} satisfies Record<string, FindingReference>;

export const CLOUD_DOCS = {
  eksAuthentication: {
    title: 'Amazon EKS: grant IAM users and roles access to Kubernetes APIs',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html',
  },
  azureWorkloadIdentity: {
    title: 'Azure: use Microsoft Entra Workload ID with AKS',
    url: 'https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview',
  },
  googleAdc: {
    title: 'Google Cloud: how Application Default Credentials work',
    url: 'https://cloud.google.com/docs/authentication/application-default-credentials',
  },
} satisfies Record<string, FindingReference>;
