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
        "A namespace's istio.io/rev names a revision with no control plane in that cluster: its pods get no sidecar.",
      scope: 'entity',
      fix: '`kubectl label namespace <ns> istio.io/rev=<existing rev> --overwrite --context=<cluster>`, then `kubectl -n <ns> rollout restart deployment --context=<cluster>`.',
      docs: {
        explanation:
          'No injection webhook serves a revision without an istiod, so new pods start without a sidecar. `istio.io/rev=default` is accepted: it may be a revision tag (`istioctl tag set default`). A cluster without any istiod is a remote whose revisions live in its primary, and is not checked.',
        references: [ISTIO_DOCS.canaryUpgrade, ISTIO_DOCS.sidecarInjection],
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
        'Pods in an onboarded namespace run without an istio-proxy sidecar (restart them after onboarding).',
      scope: 'entity',
      fix: '`kubectl -n <ns> rollout restart deployment/<name> --context=<cluster>`; label pods that must stay out `sidecar.istio.io/inject: "false"`.',
      docs: {
        explanation:
          "Injection happens when a pod is created, so pods that existed before the namespace was onboarded (or whose injection failed) run without the `istio-proxy` container. Pods that opted out with `sidecar.istio.io/inject=false` are not counted. When none of a service's pods in a cluster has a sidecar, MESH071 reports the cross-network consequence.",
        references: [ISTIO_DOCS.sidecarInjection],
      },
    },
  },
});
