import { defineFindingCategory } from '../definition';
import { BACKSTAGE_DOCS, CLOUD_DOCS, KUBERNETES_DOCS } from './references';

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
    MESH094: {
      severity: 'warning',
      title: 'Cluster uses a client-side auth provider',
      description:
        'The cluster is configured with google, oidc or aks, which sign in as the browser user. The mesh snapshot is read in the background for every user, so it cannot use them: the cluster is not read (its Kubernetes tab still works).',
      scope: 'cluster',
      fix: "Give the cluster a server-side provider: `googleServiceAccount` instead of `google`, `azure` instead of `aks`, `serviceAccount` (a read-only token) or the cloud provider's strategy instead of `oidc`; or list it in `serviceMesh.exclude`.",
      docs: {
        explanation:
          "The Kubernetes plugin's client-side providers forward the token of the signed-in user, which the browser sends with each request. The service-mesh backend reads every cluster on a schedule, with no user, and shares one snapshot with everyone, so only the server-side strategies (serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy, or one a module adds) can feed it. Such a cluster is listed with this finding, a warning is logged once at the first refresh, and nothing is sent to it; the other clusters are read as usual.",
        references: [
          BACKSTAGE_DOCS.kubernetesAuthentication,
          BACKSTAGE_DOCS.kubernetesConfig,
        ],
      },
    },
    MESH095: {
      severity: 'error',
      title: 'Unknown auth provider or cluster locator',
      description:
        'The cluster names an auth provider, or a cluster locator method has a type, that neither the Kubernetes plugin nor a registered module provides; the cluster (or the locator) is not read.',
      scope: 'cluster',
      fix: 'Fix the spelling of `authProvider` (`serviceAccount`, `aws`, `azure`, `googleServiceAccount`, `localKubectlProxy`) or of the locator `type` (`config`, `catalog`, `gke`, `localKubectlProxy`), or add the strategy with `serviceMeshAuthStrategyExtensionPoint`.',
      docs: {
        explanation:
          'The Kubernetes plugin refuses to start on an unknown locator type; the service-mesh backend reports it instead and reads the other clusters. An auth provider is looked up in the strategies the Kubernetes backend exports plus those modules add through the extension point; the finding lists the known names.',
        references: [
          BACKSTAGE_DOCS.kubernetesConfig,
          BACKSTAGE_DOCS.kubernetesAuthStrategies,
        ],
      },
    },
    MESH096: {
      severity: 'error',
      title: 'Cluster credentials missing',
      description:
        'The auth provider found no credentials for the cluster (no token, no cloud credentials in the environment, an unreadable key), or its issuer refused them; nothing was sent to the cluster.',
      scope: 'cluster',
      fix: 'Give the backend the credentials the provider reads: `serviceAccountToken` (serviceAccount), AWS credentials or a role it may assume (aws), the Azure credential chain (azure), `kubernetes.googleServiceAccountCredentials` or Application Default Credentials (googleServiceAccount). The finding names the provider and the exact setting.',
      docs: {
        explanation:
          "Credentials come from the Kubernetes backend's strategies, per refresh: the serviceAccount token (or the pod's own token file), a presigned STS GetCallerIdentity URL for EKS (with assume-role and external id), an Entra ID token for the AKS server application, a Google access token. When the strategy throws because it has nothing to sign with, or its token endpoint rejects the request (400/401), the cluster is not contacted and keeps its last good data, marked stale.",
        references: [
          BACKSTAGE_DOCS.kubernetesAuthentication,
          CLOUD_DOCS.eksAuthentication,
          CLOUD_DOCS.azureWorkloadIdentity,
          CLOUD_DOCS.googleAdc,
        ],
      },
    },
    MESH097: {
      severity: 'error',
      title: 'Token endpoint or cluster source unreachable',
      description:
        'The token endpoint of the auth provider (AWS STS, Microsoft Entra ID, Google) or a cluster source (the catalog, the GKE API) did not answer; last known clusters and data are kept.',
      scope: 'cluster',
      fix: 'Check that the backend reaches the endpoint the finding names (network policy, egress proxy, DNS: `sts.<region>.amazonaws.com`, `login.microsoftonline.com` or the managed identity endpoint, `oauth2.googleapis.com` or the metadata server, the catalog, `container.googleapis.com`); it is retried at the next refresh.',
      docs: {
        explanation:
          'A network failure or a 5xx from a token endpoint is not a credentials problem: the same credentials work once the endpoint answers, so the finding says which endpoint to check instead of asking for new credentials. A cluster source (catalog, GKE) that fails keeps the clusters it located before, so an outage of the catalog never removes clusters from the mesh view; clusters it would add are not known until it answers again.',
        references: [
          BACKSTAGE_DOCS.kubernetesConfig,
          CLOUD_DOCS.eksAuthentication,
          CLOUD_DOCS.googleAdc,
        ],
      },
    },
  },
});
