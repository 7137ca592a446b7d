import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS } from './references';

export const CONTROL_PLANE_FINDINGS = defineFindingCategory({
  id: 'controlPlane',
  title: 'Control plane',
  codes: {
    MESH001: {
      severity: 'error',
      severityNote: 'warning while upgrading',
      title: 'ServiceMesh not deployed or upgrading',
      description:
        'A ServiceMesh resource is not in phase Deployed, or its version differs from its desired version (an upgrade in progress is a warning).',
      scope: 'cluster',
      fix: 'Watch it: `kubectl -n cpaas-system get servicemesh <cluster> -w --context=global`. If it stalls or fails, read `status.conditions` (`-o yaml`) and the operator logs: `kubectl -n istio-system logs deploy/asm-operator --context=<cluster>`.',
      docs: {
        explanation:
          "Alauda Service Mesh describes each business cluster's Istio installation with a `ServiceMesh` resource (`asm.alauda.io/v1alpha1`) held by the management cluster. The check reads its `status.phase`, `status.version` and `status.desiredVersion`. A phase other than `Deployed` means the operator could not install or reconcile the control plane. When `status.version` ≠ `status.desiredVersion` and nothing failed, an upgrade is in progress and the finding is a warning. A `ServiceMesh` without `status.phase` is not reported: the operator has not written status yet, and nothing is known to be wrong.",
        references: [ISTIO_DOCS.canaryUpgrade],
      },
    },
    MESH002: {
      severity: 'error',
      title: 'No ready istiod for a revision in use',
      description:
        'A namespace uses a revision whose istiod has no ready replica: new pods get no sidecar and proxies get no config updates.',
      scope: 'cluster',
      fix: '`kubectl -n istio-system describe deployment/istiod-<rev> --context=<cluster>` and its logs; after fixing the cause, `kubectl -n istio-system rollout status deployment/istiod-<rev> --context=<cluster>`.',
      docs: {
        explanation:
          'Onboarded namespaces select a control plane with `istio.io/rev=<rev>` (or `default` for `istio-injection=enabled`). When the istiod Deployment of that revision has no ready replica, the injection webhook fails (new pods start without a sidecar, or not at all) and running proxies keep their last configuration. A revision that no istiod runs at all is MESH061, not this code. `default` may be a revision tag pointing at a revisioned istiod, so it is matched against every istiod of the cluster.',
        references: [ISTIO_DOCS.canaryUpgrade, ISTIO_DOCS.sidecarInjection],
      },
    },
    MESH003: {
      severity: 'warning',
      title: 'Istio versions differ across clusters',
      description:
        'Control planes of the mesh run different Istio versions. Keep one version in steady state; upgrade one cluster at a time.',
      scope: 'cluster',
      fix: 'Upgrade one cluster at a time to one version: install the new revision (`istioctl install --set revision=<rev> --context=<cluster>`), `kubectl label namespace <ns> istio.io/rev=<rev> --overwrite --context=<cluster>`, restart workloads, remove the old revision. Alauda: set `spec.istioVersion` of each `ServiceMesh`.',
      docs: {
        explanation:
          'Versions are read from the istiod image tag (or the `app.kubernetes.io/version` / `operator.istio.io/version` labels); build metadata such as `+2024…`, a `v` prefix and a `-distroless` flavour are ignored. Istio supports mixed versions only during an upgrade; in steady state every primary should run the same release, or features and xDS behaviour differ between clusters.',
        references: [ISTIO_DOCS.canaryUpgrade, ISTIO_DOCS.supportedReleases],
      },
    },
    MESH004: {
      severity: 'error',
      title: 'meshID or trust domain differs',
      description:
        'Clusters disagree on meshID or trust domain, so they do not form one mesh and cross-cluster identities fail.',
      scope: 'cluster',
      fix: 'Set the same `values.global.meshID` / `meshConfig.trustDomain` everywhere: `istioctl install --set values.global.meshID=<meshID> --context=<cluster>`; during a trust-domain migration list the old one in `meshConfig.trustDomainAliases`.',
      docs: {
        explanation:
          'Every cluster of one mesh must share `meshID` and trust domain (read from the mesh ConfigMap `istio` or `istio-<rev>` in istio-system; an unset trust domain is `cluster.local`). Workload identities are SPIFFE IDs `spiffe://<trust domain>/ns/<ns>/sa/<sa>`: a peer from another trust domain is rejected by authorization and by STRICT mTLS.',
        references: [
          ISTIO_DOCS.multiclusterBeforeYouBegin,
          ISTIO_DOCS.meshConfig,
        ],
      },
    },
  },
});
