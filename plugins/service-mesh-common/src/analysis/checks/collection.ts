/*
 * Collection problems (MESH090–092) from ClusterSnapshot.error/status and ClusterMeshData.partialErrors, and
 * cluster access problems (MESH094–097: auth provider, credentials, token endpoint, cluster source) that cluster
 * access put into ClusterSnapshot.error and MeshSnapshot.sourceErrors with their fix. They concern every cluster
 * the plugin reads, the management cluster included.
 */
import type { Finding } from '../../types/api';
import type { ClusterSnapshot, CollectionError } from '../../types/snapshot';
import { COLLECTION_ERROR_CODES } from '../../types/snapshot';
import type { AnalysisContext } from '../context';
import { rbacRuleFor } from '../../rbac';
import { defineCheck } from '../check';
import { makeFinding } from '../finding';

function staleNote(cluster: ClusterSnapshot): string {
  if (cluster.data) {
    return cluster.lastSyncedAt
      ? ` Its last good data (${cluster.lastSyncedAt}) is used, marked stale.`
      : ' Its last good data is used, marked stale.';
  }
  return ' It has never been read, so it is left out of the analysis.';
}

function forbidden(cluster: ClusterSnapshot, error: CollectionError): Finding {
  const rule = error.rbacRule ?? rbacRuleFor(error.resource);
  const what = error.resource ?? 'a resource';
  return makeFinding({
    code: 'MESH092',
    message: `Access denied (403) in ${cluster.name} to ${what}${
      error.message ? `: ${error.message}` : ''
    }. Checks that need it are incomplete for ${cluster.name}.`,
    clusters: [cluster.name],
    idParts: [what],
    hint: `Add this rule to the ClusterRole bound to the plugin's service account in ${cluster.name}: ${rule} (kubectl edit clusterrole <plugin-reader-role> --context=${cluster.name}), or remove the resource from the plugin's configuration.`,
  });
}

const ACCESS_CODES: ReadonlySet<string> = new Set([
  'MESH094',
  'MESH095',
  'MESH096',
  'MESH097',
]);

function clusterError(cluster: ClusterSnapshot): Finding | undefined {
  const error = cluster.error;
  let code = error?.code;
  if (!code && cluster.status === 'unauthorized') code = 'MESH091';
  if (!code && (cluster.status === 'unreachable' || cluster.status === 'error'))
    code = 'MESH090';
  if (!code) return undefined;
  const detail = error?.message ? `: ${error.message}` : '';
  if (code === 'MESH092')
    return forbidden(cluster, error ?? { code, message: '' });
  if (ACCESS_CODES.has(code)) {
    // Cluster access knows the provider, so its hint names the exact config key or credential to fix.
    return makeFinding({
      code,
      message: `${cluster.name} cannot be read${detail}.${staleNote(cluster)}`,
      clusters: [cluster.name],
      hint:
        error?.hint ??
        `Fix the cluster's authProvider and credentials under kubernetes.clusterLocatorMethods, or list ${cluster.name} in serviceMesh.exclude.`,
    });
  }
  if (code === 'MESH091') {
    return makeFinding({
      code,
      message: `${
        cluster.name
      } rejected the plugin's credentials (401)${detail}.${staleNote(cluster)}`,
      clusters: [cluster.name],
      hint: `Issue a new token for the plugin's service account (kubectl -n <namespace> create token <service-account> --duration=8760h --context=${cluster.name}) and update serviceAccountToken of ${cluster.name} under kubernetes.clusterLocatorMethods in app-config.`,
    });
  }
  return makeFinding({
    code: 'MESH090',
    message: `${cluster.name} is unreachable or timed out${detail}.${staleNote(
      cluster,
    )}`,
    clusters: [cluster.name],
    hint: `Check the API server URL, CA data and network path from the Backstage backend (kubectl --context=${cluster.name} get --raw /readyz), the cluster's url/caData/skipTLSVerify in app-config, and raise the serviceMesh per-cluster timeout if the server is slow.`,
  });
}

/** Reads the cluster status and partial errors only, so it runs whatever else could not be read. */
export const collectionCheck = defineCheck({
  name: 'collection',
  inputs: [],
  // Every code a collection failure can carry (cluster sources' MESH095/097 included).
  codes: COLLECTION_ERROR_CODES,
  run: checkCollection,
});

export const COLLECTION_CHECKS = [collectionCheck];

function checkCollection(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const error of ctx.snapshot.sourceErrors ?? []) {
    findings.push(
      makeFinding({
        code: error.code,
        message: `Cluster source ${error.source} failed: ${error.message}. Clusters it located before are still read; new ones are not known.`,
        clusters: [],
        idParts: [error.source],
        hint: error.hint,
      }),
    );
  }
  for (const cluster of ctx.snapshot.clusters) {
    const f = clusterError(cluster);
    if (f) findings.push(f);
    for (const error of cluster.data?.partialErrors ?? []) {
      if (error.code === 'MESH092') {
        findings.push(forbidden(cluster, error));
      } else {
        findings.push(
          makeFinding({
            code: error.code,
            message: `Reading ${error.resource ?? 'part of the data'} in ${
              cluster.name
            } failed${
              error.message ? `: ${error.message}` : ''
            }. Checks that need it are incomplete for ${cluster.name}.`,
            clusters: [cluster.name],
            idParts: [error.resource ?? 'partial'],
            hint:
              error.code === 'MESH091'
                ? `Renew the plugin's service-account token for ${cluster.name} in app-config.`
                : `Retry the refresh; if it persists, check the API server's health for ${
                    error.resource ?? 'this resource'
                  } (kubectl --context=${cluster.name} get --raw /readyz).`,
          }),
        );
      }
    }
  }
  return findings;
}
