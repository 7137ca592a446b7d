/*
 * What every check needs: the parsed snapshot (types/snapshot.ts parseSnapshot), the members that have data (never-synced clusters are
 * skipped; stale data is used), their networks, and the clock. The runner narrows `withData` and
 * `clustersWithData` per check to the clusters where the check's inputs could be read.
 */
import { ISTIO_SYSTEM_NAMESPACE } from '../constants';
import type {
  ClusterMeshData,
  ClusterSnapshot,
  MeshNamespace,
  MeshSnapshot,
} from '../types/snapshot';
import { type CheckInput, unreadableInputs } from './inputs';
import { distinctNetworks, membersOf } from './membership';
import { clusterNetwork } from './network';

/** A cluster that has data (a member or the management cluster), with what could not be read there. */
export interface ClusterData {
  name: string;
  cluster: ClusterSnapshot;
  data: ClusterMeshData;
  /** Inputs that are unknown here because reading a resource they come from failed (MESH092). */
  unreadable: ReadonlySet<CheckInput>;
}

export interface MemberData extends ClusterData {
  network?: string;
  /** Names other clusters may use for it: the Backstage name and istiod's CLUSTER_ID values. */
  readonly ids: Set<string>;
  /** Where its istiod runs (remote secrets live there). */
  readonly istioNamespace: string;
  /** Runs an istiod: a primary needs remote secrets for every other member. Reads `controlPlanes`. */
  readonly primary: boolean;
  readonly namespacesByName: Map<string, MeshNamespace>;
}

export interface AnalysisContext {
  snapshot: MeshSnapshot;
  /** All members, with or without data. */
  members: ClusterSnapshot[];
  /** Members with data whose inputs this check can read, in snapshot order. */
  withData: MemberData[];
  /** Every cluster with data whose inputs this check can read, the management cluster included. */
  clustersWithData: ClusterData[];
  multiNetwork: boolean;
  now: Date;
  rootCaExpiryDays: number;
  /** MESH015: proxies STALE or NOT SENT for longer than this are reported. */
  staleProxyMinutes: number;
}

export function clusterIds(cluster: ClusterSnapshot): Set<string> {
  const ids = new Set([cluster.name]);
  for (const cp of cluster.data?.controlPlanes ?? [])
    if (cp.clusterId) ids.add(cp.clusterId);
  return ids;
}

/**
 * The derived facts are read from `data` when a check first asks for them, so a check that uses `primary` reads
 * `controlPlanes` (and must declare it: checks/inputs.test.ts records what each check reads).
 */
class Member implements MemberData {
  readonly name: string;
  readonly data: ClusterMeshData;
  readonly network?: string;
  private memo: {
    ids?: Set<string>;
    namespacesByName?: Map<string, MeshNamespace>;
  } = {};

  constructor(
    readonly cluster: ClusterSnapshot,
    readonly unreadable: ReadonlySet<CheckInput>,
  ) {
    this.name = cluster.name;
    this.data = cluster.data!;
    this.network = clusterNetwork(cluster);
  }

  get ids(): Set<string> {
    return (this.memo.ids ??= clusterIds(this.cluster));
  }

  get istioNamespace(): string {
    return this.data.controlPlanes[0]?.namespace ?? ISTIO_SYSTEM_NAMESPACE;
  }

  get primary(): boolean {
    return this.data.controlPlanes.length > 0;
  }

  get namespacesByName(): Map<string, MeshNamespace> {
    return (this.memo.namespacesByName ??= new Map(
      this.data.namespaces.map(n => [n.name, n]),
    ));
  }
}

export function buildContext(
  snapshot: MeshSnapshot,
  options: {
    now?: Date;
    rootCaExpiryDays?: number;
    staleProxyMinutes?: number;
  },
): AnalysisContext {
  const members = membersOf(snapshot);
  const unreadable = new Map<string, ReadonlySet<CheckInput>>(
    snapshot.clusters
      .filter(c => c.data)
      .map(c => [c.name, unreadableInputs(c.data!)]),
  );
  const withData: MemberData[] = members
    .filter(m => m.data)
    .map(m => new Member(m, unreadable.get(m.name)!));
  const memberByName = new Map(withData.map(m => [m.name, m]));
  const clustersWithData: ClusterData[] = snapshot.clusters
    .filter(c => c.data)
    .map(
      c =>
        memberByName.get(c.name) ?? {
          name: c.name,
          cluster: c,
          data: c.data!,
          unreadable: unreadable.get(c.name)!,
        },
    );
  const now =
    options.now instanceof Date && !Number.isNaN(options.now.getTime())
      ? options.now
      : new Date();
  const days = options.rootCaExpiryDays;
  const stale = options.staleProxyMinutes;
  return {
    snapshot,
    members,
    withData,
    clustersWithData,
    multiNetwork: distinctNetworks(members).length > 1,
    now,
    rootCaExpiryDays:
      typeof days === 'number' && Number.isFinite(days) && days >= 0
        ? days
        : 30,
    staleProxyMinutes:
      typeof stale === 'number' && Number.isFinite(stale) && stale >= 0
        ? stale
        : 5,
  };
}

/** How a namespace is labelled for the mesh in one cluster. */
export function namespaceIn(member: MemberData, namespace: string) {
  return member.namespacesByName.get(namespace);
}

export function isOnboarded(member: MemberData, namespace: string): boolean {
  return namespaceIn(member, namespace)?.onboarded ?? false;
}

/** Namespaces onboarded in at least one member, sorted. */
export function onboardedNamespaces(ctx: AnalysisContext): string[] {
  const names = new Set<string>();
  for (const m of ctx.withData)
    for (const n of m.data.namespaces) if (n.onboarded) names.add(n.name);
  return [...names].sort();
}

/** `--context=<cluster>` for commands in hints. */
export function ctxFlag(cluster: string): string {
  return `--context=${cluster}`;
}
