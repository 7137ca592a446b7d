import { defineFindingCategory } from '../definition';
import { BACKSTAGE_DOCS, KUBERNETES_DOCS } from './references';

export const COLLECTION_FINDINGS = defineFindingCategory({
  id: 'collection',
  title: 'Collection',
  codes: {
    MESH090: {
      severity: 'error',
      title: 'Cluster unreachable',
      description:
        "The plugin could not reach the cluster's API server, or it timed out; its last good data is shown as stale.",
      scope: 'cluster',
      fix: "Check the URL, CA data and network path from the backend (`kubectl --context=<cluster> get --raw /readyz`), the cluster's `url`/`caData`/`skipTLSVerify` under `kubernetes.clusterLocatorMethods`, and the `serviceMesh` per-cluster timeout.",
      docs: {
        explanation:
          'Every cluster is read in parallel with its own timeout. A cluster that fails keeps its last good data, marked stale with the error and the time of its last success, and is analysed from that data; a cluster never read is left out of the analysis.',
        references: [BACKSTAGE_DOCS.kubernetesConfig],
      },
    },
    MESH091: {
      severity: 'error',
      title: 'Cluster credentials rejected',
      description:
        'The cluster answered 401: the service account token is wrong or expired.',
      scope: 'cluster',
      fix: '`kubectl -n <namespace> create token <service-account> --duration=8760h --context=<cluster>` and update `serviceAccountToken` in app-config.',
      docs: {
        explanation:
          'A 401 fails the whole cluster read, like MESH090: its last good data is used, marked stale.',
        references: [
          KUBERNETES_DOCS.serviceAccountTokens,
          BACKSTAGE_DOCS.kubernetesConfig,
        ],
      },
    },
    MESH092: {
      severity: 'warning',
      title: 'Access denied to a resource',
      description:
        'The cluster answered 403 for a resource the plugin reads; the finding names the RBAC rule to add.',
      scope: 'cluster',
      fix: 'Add the named rule to the plugin\'s ClusterRole, e.g. `apiGroups: ["networking.istio.io"], resources: ["destinationrules"], verbs: ["list", "watch"]`.',
      docs: {
        explanation:
          'A 403 costs that resource only. The data read from it is unknown, not empty: the checks that read it are not run for that cluster, so nothing is reported as missing there; MESH098 lists what was not checked.',
        references: [KUBERNETES_DOCS.rbac],
      },
    },
  },
});
