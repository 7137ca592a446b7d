/*
 * The auth strategies, by provider name: the ones @backstage/plugin-kubernetes-backend exports, constructed as
 * its buildDefaultAuthStrategyMap does (src/auth/buildDefaultAuthStrategyMap.ts, not exported itself), so a
 * cluster gets the same credentials in the Kubernetes tab and in the mesh snapshot. The client-side ones
 * (google, oidc, aks) are left out: they need the browser user's token, which a background read does not have.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  AnonymousStrategy,
  AwsIamStrategy,
  AzureIdentityStrategy,
  GoogleServiceAccountStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import * as clientNode from '@kubernetes/client-node';

/** @public */
export function defaultAuthStrategies(options: {
  config: Config;
  logger: LoggerService;
}): Map<string, AuthenticationStrategy> {
  const { config, logger } = options;
  // ServiceAccountStrategy loads client-node with a dynamic import() on every call, before it even looks at the
  // token; it has a seam for handing the module in, which spares that (and lets it run under jest, where a
  // dynamic import from a CommonJS dependency needs --experimental-vm-modules).
  const serviceAccount = new ServiceAccountStrategy();
  (
    serviceAccount as unknown as { injectedKubernetesClient?: unknown }
  ).injectedKubernetesClient = clientNode;
  return new Map<string, AuthenticationStrategy>([
    ['serviceAccount', serviceAccount],
    // Presigns an STS GetCallerIdentity URL (the EKS token), with assume-role and external id from the cluster's
    // auth metadata; credentials from the `aws` integration config or the AWS SDK's default chain.
    ['aws', new AwsIamStrategy({ config })],
    // DefaultAzureCredential: environment, workload identity, managed identity, Azure CLI…; one cached token.
    ['azure', new AzureIdentityStrategy(logger)],
    // kubernetes.googleServiceAccountCredentials, else Application Default Credentials.
    ['googleServiceAccount', new GoogleServiceAccountStrategy({ config })],
    ['localKubectlProxy', new AnonymousStrategy()],
  ]);
}
