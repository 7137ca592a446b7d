import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource } from './references';

export const NAMESPACE_FINDINGS = defineFindingCategory({
  id: 'namespaces',
  title: 'Namespaces and sidecars',
  codes: {
    MESH060: {
      severity: 'warning',
      title: 'Conflicting injection labels',
      description:
        'A namespace has both istio-injection and istio.io/rev; the legacy label wins and the revision is ignored.',
      scope: 'entity',
      fix: '`kubectl label namespace <ns> istio-injection- --context=<cluster>`',
      docs: {
        explanation:
          'The revisioned injection webhooks match `istio.io/rev` only where `istio-injection` is absent, so `istio-injection=enabled` wins and the pods get the default revision. istioctl analyze reports the same as IST0123.',
        references: [
          ISTIO_DOCS.ist0123,
          ISTIO_DOCS.sidecarInjection,
          istioSource('pkg/config/analysis/analyzers/injection/injection.go'),
        ],
      },
    },
    MESH061: {
      severity: 'error',
      title: 'Namespace points to a missing revision',
      description:
        "A namespace's istio.io/rev (or istio-injection=enabled) names a revision or revision tag that no istiod in that cluster serves: its pods get no sidecar.",
      scope: 'entity',
      fix: '`kubectl label namespace <ns> istio.io/rev=<existing rev> --overwrite --context=<cluster>`, or point the tag at a running revision: `istioctl tag set <tag> --revision <rev> --overwrite --context=<cluster>`; then `kubectl -n <ns> rollout restart deployment --context=<cluster>`.',
      docs: {
        explanation:
          'No injection webhook serves a revision without an istiod, so new pods start without a sidecar. The name is resolved as the webhooks resolve it: `istio.io/rev=<name>` is served by the revision `<name>` or by the revision tag `<name>` (a MutatingWebhookConfiguration labelled `istio.io/tag=<name>` whose `istio.io/rev` label names the revision it sends pods to, as `istioctl tag set` writes it); `istio-injection=enabled` is served by the default revision, or by the tag `default`, which wins over a revision named `default` (`istioctl tag set default` deactivates its webhooks). A cluster without any istiod is a remote whose revisions live in its primary, and is not checked; where the tag webhooks cannot be read (RBAC), the check does not run (MESH098).',
        references: [
          ISTIO_DOCS.canaryUpgrade,
          ISTIO_DOCS.sidecarInjection,
          istioSource('istioctl/pkg/tag/generate.go', 'revision tag webhooks'),
          istioSource(
            'manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml',
            'namespace selectors',
          ),
        ],
      },
    },
    MESH062: {
      severity: 'warning',
      title: 'Namespace onboarded in some clusters only',
      description:
        'A namespace is onboarded into the mesh in some clusters and not in others.',
      scope: 'entity',
      fix: '`kubectl label namespace <ns> cpaas.io/serviceMesh=enabled istio.io/rev=<rev> --context=<cluster>` (the labels used in the other clusters; `kubectl create namespace` first if it is missing), or the "join the mesh" template.',
      docs: {
        explanation:
          'Namespace sameness: a namespace of one name is the same namespace in every cluster of the mesh. Where it is missing or lacks the mesh labels, its workloads run without sidecars and cannot take part in the mesh (and cross-network calls to them fail). The hint repeats the labels of a cluster where it is onboarded.',
        references: [ISTIO_DOCS.deploymentModels, ISTIO_DOCS.sidecarInjection],
      },
    },
    MESH063: {
      severity: 'warning',
      title: 'Pods without a sidecar',
      description:
        "Pods in an onboarded namespace run without an istio-proxy sidecar although Istio's injector would inject them (restart them after onboarding).",
      scope: 'entity',
      fix: '`kubectl -n <ns> rollout restart deployment/<name> --context=<cluster>`; label pods that must stay out `sidecar.istio.io/inject: "false"`.',
      docs: {
        explanation:
          "Injection happens when a pod is created, so pods that existed before the namespace was onboarded (or whose injection failed) run without the `istio-proxy` container. Only pods the injector would inject are counted, as its injectRequired decides: `hostNetwork` pods, pods in kube-system, kube-public, kube-node-lease and local-path-storage, pods with `sidecar.istio.io/inject=false` (the label, else the annotation), and pods the revision's injector config leaves out (`neverInjectSelector`, or `policy: disabled` without `sidecar.istio.io/inject=true` or an `alwaysInjectSelector` match; read from ConfigMap `istio-sidecar-injector[-<rev>]`) are not. When none of a service's pods in a cluster has a sidecar, MESH071 reports the cross-network consequence.",
        references: [
          ISTIO_DOCS.sidecarInjection,
          istioSource('pkg/kube/inject/inject.go', 'injectRequired'),
          istioSource('pkg/kube/inject/webhook.go', 'Webhook.inject'),
        ],
      },
    },
  },
});
