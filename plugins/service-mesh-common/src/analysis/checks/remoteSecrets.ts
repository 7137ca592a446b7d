/*
 * Remote secrets (MESH010/011). istiod discovers another cluster's endpoints only through a Secret labelled
 * istio/multiCluster=true in its own namespace whose data key is that cluster's ID; multi-primary needs the full
 * matrix (every primary holds one for every other member). Secrets are known by metadata only. The discovery rule
 * lives in ../reachability/discovery.ts, which the reachability model shares.
 */
import type { Finding } from '../../types/api';
import { defineCheck } from '../check';
import { type AnalysisContext, clusterIds, ctxFlag } from '../context';
import { makeFinding } from '../finding';
import {
  missingSecretFinding,
  remoteSecretFor,
} from '../reachability/discovery';

export const remoteSecretsCheck = defineCheck({
  name: 'remoteSecrets',
  // `controlPlanes`: only a primary needs secrets; unreadable Deployments make that unknown, not "remote".
  inputs: ['remoteSecrets', 'controlPlanes'],
  codes: ['MESH010', 'MESH011'],
  run: checkRemoteSecrets,
});

export const REMOTE_SECRET_CHECKS = [remoteSecretsCheck];

function checkRemoteSecrets(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const memberIds = ctx.members.map(m => ({ cluster: m, ids: clusterIds(m) }));
  for (const primary of ctx.withData.filter(m => m.primary)) {
    for (const peer of memberIds) {
      if (peer.cluster.name === primary.name) continue;
      if (remoteSecretFor(primary, peer.ids)) continue;
      findings.push(makeFinding(missingSecretFinding(primary, peer.cluster)));
    }
    for (const secret of primary.data.remoteSecrets) {
      // A secret for the cluster itself is ignored by istiod ("would overwrite the config cluster").
      if (primary.ids.has(secret.cluster)) continue;
      if (memberIds.some(m => m.ids.has(secret.cluster))) continue;
      findings.push(
        makeFinding({
          code: 'MESH011',
          message: `${primary.name} has remote secret ${secret.namespace}/${secret.name} for cluster "${secret.cluster}", which is not a member of the mesh (removed, renamed or mistyped); istiod keeps trying to sync it.`,
          clusters: [primary.name],
          resource: {
            kind: 'Secret',
            namespace: secret.namespace,
            name: secret.name,
          },
          hint: `If the cluster left the mesh: kubectl -n ${
            secret.namespace
          } delete secret ${secret.name} ${ctxFlag(
            primary.name,
          )}. If the name is wrong, recreate it with the member's cluster name: istioctl create-remote-secret --context=<cluster> --name=<cluster> | kubectl apply -f - ${ctxFlag(
            primary.name,
          )}`,
        }),
      );
    }
  }
  return findings;
}
