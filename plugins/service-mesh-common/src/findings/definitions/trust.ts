import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource } from './references';

export const TRUST_FINDINGS = defineFindingCategory({
  id: 'trust',
  title: 'Remote secrets and root CA',
  codes: {
    MESH010: {
      severity: 'error',
      title: 'Missing remote secret',
      description:
        "A primary has no remote secret for another cluster of the mesh; it cannot discover that cluster's endpoints. Multi-primary needs the full matrix.",
      scope: 'cluster',
      fix: '`istioctl create-remote-secret --context=<peer> --name=<peer> | kubectl apply -f - --context=<cluster>`',
      docs: {
        explanation:
          "A primary (a cluster running istiod) discovers another cluster's Services and endpoints only through a Secret labelled `istio/multiCluster=true` in its own istiod namespace, whose data key is that cluster's ID (`CLUSTER_ID`). Multi-primary needs the full matrix: every primary holds one secret for every other member. Secrets are read as metadata only, so the peer is taken from the `networking.istio.io/cluster` annotation, else from the name `istio-remote-secret-<cluster>`. A cluster without istiod (a remote) needs no secrets. When the `deployments` or `secrets` of a primary could not be read, this check does not run there (MESH098).",
        references: [
          ISTIO_DOCS.multiPrimary,
          ISTIO_DOCS.multiclusterTroubleshooting,
          istioSource(
            'pkg/kube/multicluster/secretcontroller.go',
            'remote secrets to clusters',
          ),
        ],
      },
    },
    MESH011: {
      severity: 'warning',
      title: 'Remote secret for a cluster outside the mesh',
      description:
        'A remote secret names a cluster that is not a member of the mesh (stale or mistyped).',
      scope: 'housekeeping',
      fix: "`kubectl -n istio-system delete secret istio-remote-secret-<name> --context=<cluster>`, or recreate it with the member's name.",
      docs: {
        explanation:
          'istiod keeps trying to connect to every cluster named by a remote secret. A secret for a cluster that left the mesh, was renamed or is mistyped costs reconnect attempts and log noise, and a mistyped one hides the missing secret (MESH010) for the intended member. A secret for the cluster itself is ignored by istiod and is not reported.',
        references: [
          ISTIO_DOCS.multiPrimary,
          istioSource('pkg/kube/multicluster/secretcontroller.go'),
        ],
      },
    },
    MESH020: {
      severity: 'error',
      title: 'Root CA differs across clusters',
      description:
        'Some clusters share no root certificate (their root CA bundles have no root in common), so their cross-cluster mTLS handshakes fail.',
      scope: 'cluster',
      fix: 'Plug in intermediates signed by one shared root on the odd clusters: `kubectl create secret generic cacerts -n istio-system --from-file=ca-cert.pem --from-file=ca-key.pem --from-file=root-cert.pem --from-file=cert-chain.pem --context=<cluster>`, then `kubectl -n istio-system rollout restart deployment -l app=istiod --context=<cluster>` and restart the workloads.',
      docs: {
        explanation:
          "Cross-cluster mTLS needs every cluster's workload certificates to chain to a root its peer trusts. The check reads every certificate of `root-cert.pem` in the `istio-ca-root-cert` ConfigMap (public data) and compares the bundles as sets: during a root rotation a bundle holds the old and the new root, and two clusters trust each other while their bundles share any root. The finding names the pairs that share none; the largest group of identical bundles is taken as the reference. A mismatch shows as `CERTIFICATE_VERIFY_FAILED` in the sidecars and 503 `UF`/`URX` responses on cross-cluster calls. The reachability model marks exactly those pairs as not trusted.",
        references: [
          ISTIO_DOCS.pluginCa,
          ISTIO_DOCS.multiclusterBeforeYouBegin,
        ],
      },
    },
    MESH021: {
      severity: 'warning',
      severityNote: 'error once expired',
      title: 'Root CA expires soon',
      description: 'The mesh root certificate expires within 30 days.',
      scope: 'cluster',
      fix: 'Rotate before expiry: put a bundle of the old and new roots in `root-cert.pem` of `cacerts` on every cluster, restart istiod and workloads, then move the intermediates to the new root.',
      docs: {
        explanation:
          'The window is 30 days by default (`rootCaExpiryDays` of the analysis). Once the root has expired, no workload certificate chaining to it is trusted and every mTLS connection fails, so the finding becomes an error.',
        references: [
          ISTIO_DOCS.pluginCa,
          istioSource(
            'security/pkg/pki/ca/selfsignedcarootcertrotator.go',
            'root rotation',
          ),
        ],
      },
    },
    MESH022: {
      severity: 'warning',
      severityNote: 'error once expired',
      title: 'Intermediate CA expires soon',
      description:
        'An intermediate CA in the published root bundle (istio-ca-root-cert) expires within the root-CA expiry window (error once expired), with the days left.',
      scope: 'cluster',
      fix: 'Issue a new intermediate from the same root, update the `cacerts` secret (`ca-cert.pem`, `ca-key.pem`, `cert-chain.pem`, `root-cert.pem`) on the cluster, restart istiod, then the workloads.',
      docs: {
        explanation:
          "Workload certificates chain to the intermediate CA that signed them; once it expires, peers reject them although the root is still valid. istiod publishes only its root bundle (root-cert.pem) in the istio-ca-root-cert ConfigMap; the intermediate it signs with lives in the cacerts Secret, which the plugin never reads. It is checked when it is in the published bundle (an intermediate put into root-cert.pem); otherwise the intermediate's expiry is not visible without reading secret data (`kubectl -n istio-system get secret cacerts -o jsonpath='{.data.ca-cert\\.pem}' | base64 -d | openssl x509 -noout -enddate`).",
        references: [
          ISTIO_DOCS.pluginCa,
          istioSource(
            'pilot/pkg/bootstrap/certcontroller.go',
            'the published root bundle',
          ),
        ],
      },
    },
  },
});
