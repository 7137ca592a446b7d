/*
 * Whose endpoints a cluster's control plane discovers: its own, and those of every cluster it holds a remote
 * secret for. istiod's secret controller (pkg/kube/multicluster/secretcontroller.go) watches Secrets labelled
 * istio/multiCluster=true in its own namespace, every revision alike, and builds one registry per data key (the
 * peer's cluster ID); a key naming its own cluster is ignored. A remote cluster (no istiod) is configured by the
 * istiod of its config cluster, so its clients see what that istiod discovers.
 */
import { REMOTE_SECRET_PREFIX } from '../../constants';
import type { ClusterSnapshot, RemoteSecret } from '../../types/snapshot';
import {
  ignoredSecretFinding,
  notSyncedFinding,
  readableViews,
} from '../checks/istiodRemotes';
import {
  type AnalysisContext,
  clusterIds,
  ctxFlag,
  type MemberData,
} from '../context';
import type { FindingInput } from '../finding';

/** The remote secret of `primary` that gives access to `peer`, if any. */
export function remoteSecretFor(
  primary: MemberData,
  peerIds: Set<string>,
): RemoteSecret | undefined {
  return primary.data.remoteSecrets.find(s => peerIds.has(s.cluster));
}

/** MESH010: the primary holds no remote secret for the peer. */
export function missingSecretFinding(
  primary: MemberData,
  peer: ClusterSnapshot,
): FindingInput {
  const ids = clusterIds(peer);
  // The secret's data key must be the peer's CLUSTER_ID; prefer it over the Backstage name when known.
  const peerId = [...ids].find(id => id !== peer.name) ?? peer.name;
  return {
    code: 'MESH010',
    message: `${primary.name} has no remote secret for ${peer.name}: its istiod cannot discover ${peer.name}'s endpoints, so clients in ${primary.name} reach only the other clusters' endpoints (multi-primary needs a secret in every primary for every other cluster).`,
    clusters: [primary.name, peer.name],
    resource: {
      kind: 'Secret',
      namespace: primary.istioNamespace,
      name: `${REMOTE_SECRET_PREFIX}${peerId}`,
    },
    hint: `istioctl create-remote-secret ${ctxFlag(
      peer.name,
    )} --name=${peerId} | kubectl apply -f - ${ctxFlag(primary.name)}`,
  };
}

/**
 * The member whose istiod configures `client`'s proxies: itself when it runs istiod; for a remote cluster the
 * first member named by its istio-system annotation topology.istio.io/controlPlaneClusters (Kiali reads the same
 * annotation; `*` means any primary), else the first primary that holds a remote secret for it.
 */
export function configClusterOf(
  ctx: AnalysisContext,
  client: MemberData,
): MemberData | undefined {
  if (client.primary) return client;
  const primaries = ctx.withData.filter(m => m.primary);
  const holding = primaries.filter(p => remoteSecretFor(p, client.ids));
  const named = client.data.controlPlaneClusters ?? [];
  for (const id of named) {
    if (id === '*') {
      if (holding[0]) return holding[0];
      continue;
    }
    const match = primaries.find(p => p.ids.has(id));
    if (match) return match;
  }
  return holding[0];
}

export type DiscoveryState = 'yes' | 'no' | 'unknown';

export interface Discovery {
  state: DiscoveryState;
  /** Why not (or why unknown): findings that fire for this pair. */
  because: FindingInput[];
  /** For the UI: how it is known. */
  note?: string;
}

/** The member istiod means by a cluster ID (its name, or a CLUSTER_ID of its istiod), as MESH012/014 name it. */
function memberById(ctx: AnalysisContext, id: string): string | undefined {
  return ctx.members.find(
    m =>
      m.name === id ||
      (m.data?.controlPlanes ?? []).some(cp => cp.clusterId === id),
  )?.name;
}

/**
 * Observed state, the one place the model reads it: what `primary`'s istiod itself reports of the secret's
 * cluster on /debug/clusterz (pkg/kube/multicluster/cluster.go SyncStatus). Synced in any revision: discovered;
 * listed but not synced (timeout, closed, syncing): not discovered, MESH012; not listed at all: istiod ignores
 * the secret, MESH014. No readable view: the secret decides alone.
 */
function observedSync(
  ctx: AnalysisContext,
  primary: MemberData,
  peer: ClusterSnapshot,
  secret: RemoteSecret,
): Discovery | undefined {
  const views = readableViews(primary).filter(
    v => v.remoteClusters && v.namespace === secret.namespace,
  );
  if (views.length === 0) return undefined;
  const key = `${secret.namespace}/${secret.name}`;
  const listed = views.flatMap(view =>
    (view.remoteClusters ?? [])
      .filter(r => r.secretName === key)
      .map(remote => ({ view, remote })),
  );
  const synced = listed.find(l => l.remote.syncStatus === 'synced');
  if (synced) {
    return {
      state: 'yes',
      because: [],
      note: `istiod ${synced.view.pod ?? synced.view.revision} in ${
        primary.name
      } reports ${peer.name} synced (secret ${key}).`,
    };
  }
  const [first] = listed;
  if (first) {
    return {
      state: 'no',
      because: [
        notSyncedFinding(
          primary,
          first.view,
          first.remote,
          secret,
          memberById(ctx, first.remote.id),
        ),
      ],
    };
  }
  return {
    state: 'no',
    because: [
      ignoredSecretFinding(
        primary,
        views[0],
        secret,
        memberById(ctx, secret.cluster),
      ),
    ],
  };
}

/** Does `primary`'s control plane discover `peer`'s endpoints? */
export function discovers(
  ctx: AnalysisContext,
  primary: MemberData,
  peer: ClusterSnapshot,
): Discovery {
  if (primary.name === peer.name) return { state: 'yes', because: [] };
  if (
    primary.unreadable.has('remoteSecrets') ||
    primary.unreadable.has('controlPlanes')
  ) {
    return {
      state: 'unknown',
      because: [],
      note: `${primary.name}'s remote secrets or istiod could not be read (MESH092): assumed present.`,
    };
  }
  const secret = remoteSecretFor(primary, clusterIds(peer));
  if (!secret) {
    return { state: 'no', because: [missingSecretFinding(primary, peer)] };
  }
  return (
    observedSync(ctx, primary, peer, secret) ?? {
      state: 'yes',
      because: [],
      note: `Remote secret ${secret.namespace}/${secret.name} in ${primary.name}.`,
    }
  );
}
