/*
 * Why a cluster cannot be read, in words a platform engineer can act on: which cluster, which provider, and the
 * config key or credential that fixes it (the MESH094–097 findings carry these hints).
 */
import type { ClusterSourceError } from '@internal/plugin-service-mesh-common';
import type { ClusterAccessProblem } from '../errors';

/**
 * The Kubernetes plugin's providers that use the signed-in user's token (sent by the browser), and the
 * server-side provider that replaces each for a background read shared by every user.
 *
 * @public
 */
export const CLIENT_SIDE_PROVIDERS: Readonly<
  Record<string, { alternative: string; how: string }>
> = {
  google: {
    alternative: 'googleServiceAccount',
    how: 'authProvider: googleServiceAccount, with kubernetes.googleServiceAccountCredentials or Application Default Credentials (GKE workload identity, GOOGLE_APPLICATION_CREDENTIALS)',
  },
  oidc: {
    alternative: 'serviceAccount',
    how: "authProvider: serviceAccount with serviceAccountToken (a token of a read-only service account: kubectl -n <namespace> create token <service-account>), or the cloud provider's server-side strategy (aws, azure, googleServiceAccount)",
  },
  aks: {
    alternative: 'azure',
    how: 'authProvider: azure, with the Azure credential chain of the backend (workload identity: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE; or a managed identity)',
  },
};

/** How to give the backend credentials for each server-side provider. */
const CREDENTIAL_FIX: Readonly<Record<string, string>> = {
  serviceAccount:
    "set serviceAccountToken of the cluster under kubernetes.clusterLocatorMethods (a read-only service account's token: kubectl -n <namespace> create token <service-account> --context <cluster>), or run the backend in a pod with a service account token",
  aws: 'give the backend AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, IRSA or EKS Pod Identity, or the `aws` integration config); with assumeRole, allow sts:AssumeRole on the role for them and set externalId if the role requires one',
  azure:
    'configure the Azure credential chain of the backend: workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE), a managed identity, or AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID',
  googleServiceAccount:
    'set kubernetes.googleServiceAccountCredentials (the JSON key of a service account with container.clusters.get), or give the backend Application Default Credentials (GKE workload identity, GOOGLE_APPLICATION_CREDENTIALS)',
};

/** Which endpoint issues each provider's tokens, for MESH097. */
const TOKEN_ENDPOINT: Readonly<Record<string, string>> = {
  aws: 'AWS STS (sts.<AWS_REGION>.amazonaws.com, or AWS_ENDPOINT_URL_STS) for assumeRole',
  azure:
    'Microsoft Entra ID (AZURE_AUTHORITY_HOST, login.microsoftonline.com) or the managed identity endpoint',
  googleServiceAccount:
    'Google OAuth (oauth2.googleapis.com) or the metadata server (metadata.google.internal, GCE_METADATA_HOST)',
};

export function clientSideProblem(
  cluster: string,
  provider: string,
): ClusterAccessProblem {
  const { alternative, how } = CLIENT_SIDE_PROVIDERS[provider];
  return {
    code: 'MESH094',
    message: `cluster '${cluster}' uses the client-side auth provider '${provider}', which signs in as the browser user; the mesh snapshot is read in the background for every user and cannot use it`,
    hint: `Configure ${cluster} with the server-side provider '${alternative}' (${how}) — the Kubernetes tab works with it too — or list ${cluster} in serviceMesh.exclude.`,
  };
}

export function unknownProviderProblem(
  cluster: string,
  provider: string,
  known: string[],
): ClusterAccessProblem {
  return {
    code: 'MESH095',
    message: `cluster '${cluster}' names the auth provider '${provider}', which no strategy provides (known: ${known.join(
      ', ',
    )})`,
    hint: `Fix authProvider (or authMetadata.kubernetes.io/auth-provider) of ${cluster} to one of ${known.join(
      ', ',
    )}, or add a strategy for '${provider}' with serviceMeshAuthStrategyExtensionPoint.`,
  };
}

export function invalidClusterProblem(
  cluster: string,
  provider: string,
  errors: Error[],
): ClusterAccessProblem {
  return {
    code: 'MESH096',
    message: `cluster '${cluster}' has invalid auth metadata for '${provider}': ${errors
      .map(e => e.message)
      .join('; ')}`,
    hint: `Fix the auth metadata of ${cluster} under kubernetes.clusterLocatorMethods as the '${provider}' strategy expects.`,
  };
}

/** The strategy answered, but with no credential (an anonymous one for a provider that needs one). */
export function missingCredentialProblem(
  cluster: string,
  provider: string,
): ClusterAccessProblem {
  return {
    code: 'MESH096',
    message: `no credentials for cluster '${cluster}' (auth provider '${provider}')`,
    hint: fixFor(cluster, provider),
  };
}

/** A strategy failed: its token endpoint did not answer (MESH097), or it has no or wrong credentials (MESH096). */
export function credentialProblem(
  cluster: string,
  provider: string,
  error: unknown,
): ClusterAccessProblem {
  const reason = describe(error);
  if (isNetworkFailure(error)) {
    const endpoint =
      TOKEN_ENDPOINT[provider] ?? `the '${provider}' token endpoint`;
    return {
      code: 'MESH097',
      message: `the token endpoint for cluster '${cluster}' (auth provider '${provider}') did not answer: ${reason}`,
      hint: `Check that the backend reaches ${endpoint} (network policy, proxy, DNS); the cluster is read again at the next refresh.`,
    };
  }
  return {
    code: 'MESH096',
    message: `could not get credentials for cluster '${cluster}' (auth provider '${provider}'): ${reason}`,
    hint: fixFor(cluster, provider),
  };
}

export function sourceProblem(
  source: string,
  error: unknown,
): Pick<ClusterSourceError, 'code' | 'message' | 'hint'> {
  return {
    code: 'MESH097',
    message: `cluster source ${source} did not answer: ${describe(error)}`,
    hint: `Check that the backend reaches it (the catalog, or the GKE API with the backend's Google credentials); the clusters it located before are still read.`,
  };
}

function fixFor(cluster: string, provider: string): string {
  const fix = CREDENTIAL_FIX[provider];
  return fix
    ? `For ${cluster}: ${fix}.`
    : `Give the '${provider}' strategy the credentials it needs for ${cluster}.`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * No answer from an endpoint, as the cloud SDKs report it: a Node network error code or a timeout somewhere in
 * the error, its cause chain or its aggregated errors (@azure/identity's chain, gaxios, the AWS SDK), or a 5xx.
 */
export function isNetworkFailure(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    status?: unknown;
    statusCode?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  const status = e.statusCode ?? e.status ?? e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  if (
    typeof e.message === 'string' &&
    /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|timed? ?out)\b/i.test(
      e.message,
    )
  )
    return true;
  if (isNetworkFailure(e.cause, depth + 1)) return true;
  return (
    Array.isArray(e.errors) &&
    e.errors.some(inner => isNetworkFailure(inner, depth + 1))
  );
}

/** One line, without the multi-line troubleshooting text some SDKs append. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n').find(l => l.trim()) ?? text;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
