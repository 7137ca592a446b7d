/*
 * What istiod itself reports of the remote clusters it reads (/debug/clusterz) against the remote secrets of the
 * snapshot (MESH012/013/014), the cluster IDs istiod runs with (MESH007), and whether its view could be read at
 * all (MESH093). Rules from istio/istio pkg/kube/multicluster: secretcontroller.go (every data key of a Secret
 * labelled istio/multiCluster=true in istiod's namespace is a cluster ID; a key equal to the local ID, or one
 * already registered, is ignored) and cluster.go `SyncStatus` (closed / timeout / synced / syncing).
 */
import type { Finding } from '../../types/api';
import type {
  IstiodRemoteCluster,
  IstiodView,
  RemoteSecret,
} from '../../types/snapshot';
import { defineCheck } from '../check';
import { type AnalysisContext, ctxFlag, type MemberData } from '../context';
import { type FindingInput, listNames, makeFinding } from '../finding';

/** The default CLUSTER_ID of istiod (pilot/pkg/features: `CLUSTER_ID` defaults to "Kubernetes"). */
export const DEFAULT_CLUSTER_ID = 'Kubernetes';

/** What istiod's statuses mean (pkg/kube/multicluster/cluster.go SyncStatus). */
const SYNC_MEANING: Record<string, string> = {
  timeout:
    ': its first sync did not finish within PILOT_REMOTE_CLUSTER_TIMEOUT (the API server in the kubeconfig is unreachable from istiod, or the token is expired or lacks istio-reader RBAC)',
  closed: ': istiod stopped reading it',
  syncing: ': its informers have not synced yet',
};

/** Views that answered, with what each endpoint gave. */
export function readableViews(member: MemberData): IstiodView[] {
  return (member.data.istiod ?? []).filter(
    v => v.status === 'ok' || v.remoteClusters || v.proxies,
  );
}

function peerOf(ctx: AnalysisContext, id: string): string | undefined {
  return ctx.members.find(
    m =>
      m.name === id ||
      (m.data?.controlPlanes ?? []).some(cp => cp.clusterId === id),
  )?.name;
}

const istiodRef = (view: IstiodView) => ({
  kind: 'Deployment',
  namespace: view.namespace,
  name: view.revision === 'default' ? 'istiod' : `istiod-${view.revision}`,
});

/**
 * MESH012: the secret exists, but istiod reports the remote cluster as not synced, so it does not discover its
 * endpoints (the reachability model cites it: reachability/discovery.ts).
 */
export function notSyncedFinding(
  member: MemberData,
  view: IstiodView,
  remote: IstiodRemoteCluster,
  secret: RemoteSecret | undefined,
  peer: string | undefined,
): FindingInput {
  return {
    code: 'MESH012',
    severity: remote.syncStatus === 'syncing' ? 'warning' : 'error',
    message: `istiod ${view.pod ?? view.revision} in ${
      member.name
    } reports remote cluster "${remote.id}"${
      peer && peer !== remote.id ? ` (${peer})` : ''
    } as "${remote.syncStatus}"${
      SYNC_MEANING[remote.syncStatus] ?? ''
    }. The secret ${remote.secretName} exists, but ${
      member.name
    } does not discover ${peer ?? remote.id}'s endpoints.`,
    clusters: [member.name, ...(peer ? [peer] : [])],
    resource: {
      kind: 'Secret',
      namespace: view.namespace,
      name: secret?.name ?? remote.secretName.split('/').pop()!,
    },
    idParts: [view.revision],
    hint: `kubectl -n ${view.namespace} logs deployment/${
      istiodRef(view).name
    } ${ctxFlag(
      member.name,
    )} | grep "remote cluster"; recreate the secret with an API address istiod can reach: istioctl create-remote-secret --context=${
      peer ?? '<peer>'
    } --name=${remote.id} --server=https://<API address reachable from ${
      member.name
    }> | kubectl apply -f - ${ctxFlag(member.name)}`,
  };
}

/** MESH014: a labelled secret istiod does not list, so it reads nothing from it. */
export function ignoredSecretFinding(
  member: MemberData,
  view: IstiodView,
  secret: RemoteSecret,
  peer: string | undefined,
): FindingInput {
  return {
    code: 'MESH014',
    message: `Remote secret ${secret.namespace}/${secret.name} (for ${
      secret.cluster
    }) exists in ${member.name}, but istiod ${
      view.pod ?? view.revision
    } does not list it: istiod ignores a secret whose data key is its own cluster ID or one another secret already registered, and one whose kubeconfig it cannot load.`,
    clusters: [member.name, ...(peer ? [peer] : [])],
    resource: {
      kind: 'Secret',
      namespace: secret.namespace,
      name: secret.name,
    },
    idParts: [view.revision],
    hint: `Check the data key (it must be the peer's CLUSTER_ID, unique among the secrets): kubectl -n ${
      secret.namespace
    } get secret ${secret.name} -o jsonpath='{.data}' ${ctxFlag(
      member.name,
    )}; then recreate it: istioctl create-remote-secret --context=<peer> --name=<peer CLUSTER_ID> | kubectl apply -f - ${ctxFlag(
      member.name,
    )}`,
  };
}

export function checkIstiodRemoteClusters(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const member of ctx.withData) {
    const secrets = member.data.remoteSecrets;
    for (const view of readableViews(member)) {
      if (!view.remoteClusters) continue;
      const inNamespace = secrets.filter(s => s.namespace === view.namespace);
      const bySecretName = new Map(
        inNamespace.map(s => [`${s.namespace}/${s.name}`, s]),
      );
      for (const remote of view.remoteClusters) {
        const peer = peerOf(ctx, remote.id);
        const clusters = [member.name, ...(peer ? [peer] : [])];
        const secret = bySecretName.get(remote.secretName);
        if (!secret) {
          findings.push(
            makeFinding({
              code: 'MESH013',
              message: `istiod ${view.pod ?? view.revision} in ${
                member.name
              } reads remote cluster "${remote.id}" from ${
                remote.secretName
                  ? `secret ${remote.secretName}`
                  : 'a source without a secret name'
              }, which is not among the remote secrets (label istio/multiCluster=true) of ${
                view.namespace
              }: it was deleted after istiod loaded it, or istiod reads a kubeconfig directory (PILOT_MULTICLUSTER_KUBECONFIG_PATH).`,
              clusters,
              resource: istiodRef(view),
              idParts: [remote.id],
              hint: `istioctl remote-clusters ${ctxFlag(
                member.name,
              )}; kubectl -n ${
                view.namespace
              } get secrets -l istio/multiCluster=true ${ctxFlag(
                member.name,
              )}. If the cluster should not be read, remove its kubeconfig and restart istiod: kubectl -n ${
                view.namespace
              } rollout restart deployment/${istiodRef(view).name} ${ctxFlag(
                member.name,
              )}`,
            }),
          );
        }
        if (remote.syncStatus === 'synced' || !secret) continue;
        findings.push(
          makeFinding(notSyncedFinding(member, view, remote, secret, peer)),
        );
      }
      // MESH014: a labelled secret istiod does not list (every revision in the namespace reads the same secrets).
      const listed = new Set(view.remoteClusters.map(r => r.secretName));
      for (const secret of inNamespace) {
        if (member.ids.has(secret.cluster)) continue; // a self-reference is ignored by design (MESH010/011 skip it too)
        if (listed.has(`${secret.namespace}/${secret.name}`)) continue;
        findings.push(
          makeFinding(
            ignoredSecretFinding(
              member,
              view,
              secret,
              peerOf(ctx, secret.cluster),
            ),
          ),
        );
      }
    }
  }
  return findings;
}

/** MESH007: duplicate CLUSTER_IDs, or the default `Kubernetes` in a multi-cluster mesh. */
export function checkClusterIds(ctx: AnalysisContext): Finding[] {
  const byId = new Map<string, string[]>();
  for (const member of ctx.withData) {
    const ids = new Set<string>();
    for (const view of member.data.istiod ?? [])
      if (view.clusterId) ids.add(view.clusterId);
    for (const cp of member.data.controlPlanes)
      if (cp.clusterId) ids.add(cp.clusterId);
    for (const id of ids) byId.set(id, [...(byId.get(id) ?? []), member.name]);
  }
  const findings: Finding[] = [];
  const multiCluster = ctx.withData.filter(m => m.primary).length > 1;
  for (const [id, clusters] of byId) {
    if (clusters.length > 1) {
      findings.push(
        makeFinding({
          code: 'MESH007',
          message: `${listNames(
            clusters,
          )} all run istiod with CLUSTER_ID "${id}": istiod keys endpoints and remote secrets by cluster ID, so their endpoints collide and a remote secret for one is taken for the other (or ignored as "the config cluster").`,
          clusters,
          idParts: [id],
          hint: `Give each cluster its own ID: istioctl install --set values.global.multiCluster.clusterName=<unique name> --context=<cluster>, then recreate the remote secrets with --name=<that name>.`,
        }),
      );
    } else if (id === DEFAULT_CLUSTER_ID && multiCluster) {
      findings.push(
        makeFinding({
          code: 'MESH007',
          message: `${clusters[0]} runs istiod with the default CLUSTER_ID "${DEFAULT_CLUSTER_ID}" in a multi-cluster mesh: remote secrets for it must be keyed "${DEFAULT_CLUSTER_ID}", and a second cluster left at the default collides with it.`,
          clusters,
          idParts: [id],
          hint: `istioctl install --set values.global.multiCluster.clusterName=${
            clusters[0]
          } ${ctxFlag(
            clusters[0],
          )}, then recreate the remote secrets for it with --name=${
            clusters[0]
          }.`,
        }),
      );
    }
  }
  return findings;
}

const UNREADABLE: Record<
  string,
  {
    severity: Finding['severity'];
    why: string;
    fix: (m: string, v: IstiodView) => string;
  }
> = {
  forbidden: {
    severity: 'warning',
    why: 'the API server refused the port-forward (or pod proxy) to istiod (403)',
    fix: (m, v) =>
      `Allow the plugin's identity to port-forward to istiod: a Role in ${
        v.namespace
      } with ${
        v.rbacRule ??
        'apiGroups: [""], resources: ["pods/portforward"], verbs: ["create", "get"]'
      }, bound with: kubectl -n ${
        v.namespace
      } create rolebinding backstage-istiod-debug --role=<role> --serviceaccount=<namespace>:<service account> ${ctxFlag(
        m,
      )}`,
  },
  disabled: {
    severity: 'info',
    why: 'its debug endpoints are off (ENABLE_DEBUG_ON_HTTP=false)',
    fix: m =>
      `If the hardening is intended, nothing to do (these checks stay off for this control plane); otherwise set the istiod env ENABLE_DEBUG_ON_HTTP=true (istioctl install --set values.pilot.env.ENABLE_DEBUG_ON_HTTP=true ${ctxFlag(
        m,
      )}).`,
  },
  unauthenticated: {
    severity: 'info',
    why: 'istiod answered 401: it serves /debug only to loopback callers (a port-forward) or to Istio-authenticated ones, so the pod proxy always gets this answer',
    fix: m =>
      `Keep serviceMesh.istiod.transport at portForward (the default; podProxy works only with istiod builds that serve /debug to anyone), or read it by hand as istioctl does: istioctl remote-clusters ${ctxFlag(
        m,
      )} and istioctl proxy-status ${ctxFlag(m)}.`,
  },
  unreachable: {
    severity: 'warning',
    why: 'the API server could not forward to the istiod pod, or it did not answer in time',
    fix: (m, v) =>
      `kubectl -n ${v.namespace} get pods -l app=istiod -o wide ${ctxFlag(
        m,
      )}; kubectl -n ${v.namespace} port-forward pod/${
        v.pod ?? '<istiod pod>'
      } 15014 ${ctxFlag(m)} and curl localhost:15014/debug/clusterz`,
  },
  error: {
    severity: 'warning',
    why: 'istiod answered with an error or an unreadable body',
    fix: (m, v) =>
      `kubectl -n ${v.namespace} logs ${
        v.pod ? `pod/${v.pod}` : 'deployment/istiod'
      } ${ctxFlag(m)}`,
  },
};

/** MESH093: istiod's view of a revision could not be read (fully: a partial read also reports). */
export function checkIstiodReadable(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const member of ctx.withData) {
    for (const view of member.data.istiod ?? []) {
      if (view.status === 'ok') continue;
      const kind = UNREADABLE[view.status] ?? UNREADABLE.error;
      findings.push(
        makeFinding({
          code: 'MESH093',
          severity: kind.severity,
          message: `istiod ${view.pod ?? `revision ${view.revision}`} in ${
            member.name
          } could not be read: ${kind.why}.${
            view.error ? ` ${view.error}` : ''
          } Remote-cluster sync and proxy sync are not checked for this control plane.`,
          clusters: [member.name],
          resource: istiodRef(view),
          hint: kind.fix(member.name, view),
        }),
      );
    }
  }
  return findings;
}

export const ISTIOD_REMOTE_CHECKS = [
  defineCheck({
    name: 'istiodRemoteClusters',
    // A cluster whose secrets could not be read is left out: istiod and the secrets cannot be compared there.
    // `controlPlanes`: remote IDs are matched to members by their CLUSTER_ID.
    inputs: ['istiod', 'remoteSecrets', 'controlPlanes'],
    codes: ['MESH012', 'MESH013', 'MESH014'],
    run: checkIstiodRemoteClusters,
  }),
  defineCheck({
    name: 'clusterIds',
    inputs: ['istiod', 'controlPlanes'],
    codes: ['MESH007'],
    run: checkClusterIds,
  }),
  defineCheck({
    name: 'istiodReadable',
    inputs: ['istiod'],
    codes: ['MESH093'],
    run: checkIstiodReadable,
  }),
];
