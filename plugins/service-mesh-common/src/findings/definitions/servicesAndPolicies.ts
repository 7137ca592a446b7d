import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource } from './references';

export const SERVICE_AND_POLICY_FINDINGS = defineFindingCategory({
  id: 'servicesAndPolicies',
  title: 'Services and policies across clusters',
  codes: {
    MESH050: {
      severity: 'warning',
      title: 'Service definition differs across clusters',
      description:
        'The same Service (namespace/name) has different ports, port names, protocols or selector in different clusters.',
      scope: 'entity',
      fix: 'Apply one definition everywhere: `for c in <clusters>; do kubectl apply -n <ns> -f <service>.yaml --context=$c; done`',
      docs: {
        explanation:
          'Istio merges the endpoints of a Service from every cluster under one host name (namespace sameness), so a client sees the ports, protocols or endpoints of whichever definition its istiod picked. Compared: ports, port names, protocols, app protocols, selector and headless mode; `targetPort`, type and endpoints may differ. istioctl analyze reports the same as IST0170.',
        references: [
          ISTIO_DOCS.ist0170,
          ISTIO_DOCS.multiclusterTraffic,
          istioSource('pkg/config/analysis/analyzers/multicluster/service.go'),
        ],
      },
    },
    MESH051: {
      severity: 'info',
      title: 'Mesh Service missing in some clusters',
      description:
        'A Service of an onboarded namespace exists in some clusters only; clients there cannot resolve it without DNS proxying.',
      scope: 'entity',
      fix: 'Create the Service there too (it needs no local pods), or enable DNS proxying (`meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: "true"`).',
      docs: {
        explanation:
          'Kubernetes DNS resolves `<name>.<ns>.svc` only where the Service exists; without it, a client in that cluster cannot call the service even though istiod knows its remote endpoints. A Service without endpoints in a cluster is fine, and clusters where the namespace is not onboarded are MESH062 instead.',
        references: [ISTIO_DOCS.multiclusterTraffic, ISTIO_DOCS.dnsProxy],
      },
    },
    MESH052: {
      severity: 'warning',
      title: 'Traffic or security policy differs across clusters',
      description:
        'A DestinationRule, VirtualService, PeerAuthentication, Sidecar or ServiceEntry differs across clusters or exists in only some. Primaries do not share Istio config.',
      scope: 'entity',
      fix: 'Keep one manifest and apply it to every cluster: `for c in <clusters>; do kubectl apply -n <ns> -f <kind>-<name>.yaml --context=$c; done`',
      docs: {
        explanation:
          "Remote secrets give istiod another cluster's Services, endpoints and pods, but never its DestinationRules, VirtualServices or PeerAuthentications: every primary applies its own copy, so the same client behaves differently per cluster when the copies differ. The message names the differing fields (up to three paths). Missing copies count only where the namespace is onboarded (or in the root namespace).",
        references: [
          ISTIO_DOCS.multiclusterTraffic,
          ISTIO_DOCS.deploymentModels,
        ],
      },
    },
    MESH054: {
      severity: 'warning',
      severityNote: 'info when other clusters have its pods',
      title: 'DestinationRule subset selects no pods in a cluster',
      description:
        "A DestinationRule subset's labels match no pod of its service in some cluster that runs the service (info: that cluster's share of the subset is served elsewhere), or in any (warning: requests routed to it fail).",
      scope: 'entity',
      fix: "`kubectl -n <ns> get pods -l <subset labels> --context=<cluster>`; deploy the version the subset names there, or correct the subset's labels.",
      docs: {
        explanation:
          "A subset is its own Envoy cluster whose endpoints are the host's endpoints with the subset's labels. istiod merges the endpoints of every cluster, so a subset without pods in one cluster is served from the others (cross-cluster, through the east-west gateway on another network), and a subset without pods anywhere has no endpoint at all: Envoy answers 503 with the UH (no healthy upstream) flag for every request a VirtualService sends there.",
        references: [
          {
            title: 'Istio: DestinationRule subsets',
            url: 'https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset',
          },
        ],
      },
    },
    MESH053: {
      severity: 'warning',
      title: 'AuthorizationPolicy differs across clusters',
      description:
        'An AuthorizationPolicy differs across clusters or exists in only some: the same workload allows or denies a request depending on the cluster that serves it.',
      scope: 'entity',
      fix: 'Keep one manifest and apply it to every cluster: `for c in <clusters>; do kubectl apply -n <ns> -f authorizationpolicy-<name>.yaml --context=$c; done`',
      docs: {
        explanation:
          "Each sidecar enforces the AuthorizationPolicies its own cluster's istiod sends it; remote secrets never carry Istio config across primaries. A client load-balanced across clusters then gets 403 (RBAC: access denied) from some copies of the workload and not others. The message names the differing fields (up to three paths); missing copies count only where the namespace is onboarded (or in the root namespace).",
        references: [
          ISTIO_DOCS.multiclusterTraffic,
          {
            title: 'Istio: AuthorizationPolicy reference',
            url: 'https://istio.io/latest/docs/reference/config/security/authorization-policy/',
          },
        ],
      },
    },
    MESH055: {
      severity: 'warning',
      title: 'Sidecar hides the Service from the client namespace',
      description:
        "The Sidecar in force for the client's namespace (its own, else the root namespace's default) does not import the Service in any egress listener: its proxies have no route or endpoints for it in any cluster, as if it were not discovered.",
      scope: 'entity',
      fix: "Add the Service to the Sidecar's `egress[].hosts` (`<ns>/<name>.<ns>.svc.cluster.local`, `<ns>/*` or `*/*`), or remove the `~` exclusion that matches it: `kubectl -n <sidecar ns> edit sidecar <name> --context=<cluster>`",
      docs: {
        explanation:
          "istiod gives a sidecar proxy one Sidecar scope: the oldest Sidecar of its namespace whose workloadSelector matches it (selectors first), else the oldest of its namespace without a selector, else the root namespace's Sidecar without a selector (with `.` read as the proxy's namespace), else everything. Each egress listener imports `namespace/dnsName` hosts (`*` any namespace, `.` the proxy's namespace, a `~` prefix excludes, a listener with a port imports only Services with that port; no egress means `*/*`). A Service no listener imports is absent from the proxy's config, so its requests leave through PassthroughCluster (outboundTrafficPolicy `ALLOW_ANY`, the default: plain TCP to the ClusterIP, the local cluster's pods only, without mTLS, refused by STRICT peers) or BlackHoleCluster (`REGISTRY_ONLY`): the locality simulation for a client in that namespace predicts no destination at all and names this Sidecar. Reported by the simulation for the client namespace it is asked about, not as a mesh-wide alarm, since hiding Services is what Sidecars are for. exportTo and ServiceEntry hosts are not modelled.",
        references: [
          {
            title: 'Istio: Sidecar reference',
            url: 'https://istio.io/latest/docs/reference/config/networking/sidecar/',
          },
          istioSource('pilot/pkg/model/sidecar.go', 'selectServices'),
          istioSource('pilot/pkg/model/push_context.go', 'getSidecarScope'),
          {
            title: 'Istio: outboundTrafficPolicy (MeshConfig)',
            url: 'https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-OutboundTrafficPolicy',
          },
        ],
      },
    },
  },
});
