/*
 * The split the traffic policies predict for one client cluster, per destination cluster: the locality
 * simulation for the client's localities (its nodes' region/zone), with the DestinationRule that the client
 * cluster's istiod applies, summed per destination cluster. A client cluster spanning several zones is the
 * node-weighted mean of its zones (clients are spread like the nodes they run on).
 */
import { buildSimulationInput } from '../analysis/simulationInput';
import { parseSnapshot } from '../types/snapshot';
import { membersOf } from '../analysis/membership';
import { simulateLocality } from '../locality/simulate';
import type { SimulationMode, UnreachableDestination } from '../locality/types';
import type { Locality, MeshSnapshot } from '../types/snapshot';
import { compareStrings } from '../util/guards';

export interface ExpectedSplit {
  /** Percent of the client's requests per destination cluster (sums to 100 unless noHealthyUpstream). */
  shares: Record<string, number>;
  mode: SimulationMode;
  /** The DestinationRule the simulation used, `namespace/name in cluster`. */
  policy?: string;
  /** No endpoint can take the client's requests (503 no healthy upstream). */
  noHealthyUpstream: boolean;
  /** Of `shares`, the percent per destination cluster that is sent but fails (no route, no shared root CA). */
  failing?: Record<string, number>;
  /** Destination clusters the client cannot use, from the reachability model, with the reasons. */
  unreachable?: UnreachableDestination[];
}

/**
 * Expected split of `service`'s requests from `sourceCluster`, or undefined when the simulation has nothing to
 * say (the service has no endpoints, or the client cluster is not a member with data).
 */
export function expectedSplitByCluster(
  snapshot: MeshSnapshot,
  service: { namespace: string; name: string },
  sourceCluster: string,
): ExpectedSplit | undefined {
  const input = buildSimulationInput(snapshot, service, sourceCluster);
  // Without explicit clients the simulation would use every endpoint locality, not this cluster's clients.
  if (input.endpoints.length === 0 || !input.clients?.length) return undefined;
  const result = simulateLocality(input);
  const weights = nodeWeights(snapshot, sourceCluster);

  const sums = new Map<string, number>();
  const failingSums = new Map<string, number>();
  const unreachable = new Map<string, UnreachableDestination>();
  let totalWeight = 0;
  for (const client of result.clients) {
    if (client.noHealthyUpstream || client.shares.length === 0) continue;
    const weight =
      weights.get(localityKey(client.client.locality)) ??
      (weights.size === 0 ? 1 : 0);
    if (weight <= 0) continue;
    totalWeight += weight;
    for (const share of client.shares) {
      sums.set(
        share.cluster,
        (sums.get(share.cluster) ?? 0) + share.share * weight,
      );
      if (share.fails)
        failingSums.set(
          share.cluster,
          (failingSums.get(share.cluster) ?? 0) + share.share * weight,
        );
    }
  }
  for (const client of result.clients)
    for (const u of client.unreachable ?? [])
      if (!unreachable.has(u.cluster)) unreachable.set(u.cluster, u);
  const source = input.policy?.source;
  const policy = source
    ? `${source.namespace}/${source.name}${
        source.cluster ? ` in ${source.cluster}` : ''
      }`
    : undefined;
  const shares: Record<string, number> = {};
  if (totalWeight > 0) {
    for (const [cluster, sum] of [...sums.entries()].sort(([a], [b]) =>
      compareStrings(a, b),
    )) {
      shares[cluster] = sum / totalWeight;
    }
  }
  const failing: Record<string, number> = {};
  if (totalWeight > 0)
    for (const [cluster, sum] of failingSums)
      failing[cluster] = sum / totalWeight;
  return {
    shares,
    mode: result.mode,
    ...(policy ? { policy } : {}),
    noHealthyUpstream: totalWeight === 0,
    ...(Object.keys(failing).length > 0 ? { failing } : {}),
    ...(unreachable.size > 0
      ? {
          unreachable: [...unreachable.values()].sort((a, b) =>
            compareStrings(a.cluster, b.cluster),
          ),
        }
      : {}),
  };
}

function localityKey(locality: { region: string; zone: string }): string {
  return `${locality.region}/${locality.zone}`;
}

/** Node count per region/zone of the cluster. */
function nodeWeights(
  snapshot: MeshSnapshot,
  cluster: string,
): Map<string, number> {
  const weights = new Map<string, number>();
  const data = snapshot.clusters?.find(c => c.name === cluster)?.data;
  for (const l of data?.nodes?.byLocality ?? []) {
    if (l.nodes > 0) weights.set(localityKey(l), l.nodes);
  }
  return weights;
}

/** The region/zone localities of a cluster's nodes (the cluster's region alone when nodes are unlabelled). */
export function clusterLocalities(
  snapshot: MeshSnapshot,
  cluster: string,
): Locality[] {
  const c = snapshot.clusters?.find(x => x.name === cluster);
  const localities = (c?.data?.nodes?.byLocality ?? [])
    .filter(l => l.region || l.zone)
    .map(l => ({ region: l.region, zone: l.zone }))
    .sort(
      (a, b) =>
        compareStrings(a.region, b.region) || compareStrings(a.zone, b.zone),
    );
  if (localities.length > 0) return localities;
  return c?.region ? [{ region: c.region, zone: '' }] : [];
}

/**
 * Maps the cluster names found in metrics (`source_cluster`, `destination_cluster`: Istio cluster IDs, the
 * istiod `CLUSTER_ID`) to the Backstage cluster names of the snapshot. Unknown IDs are kept as they are.
 */
export function clusterNameResolver(
  snapshot: MeshSnapshot,
): (id: string) => string {
  const byId = new Map<string, string>();
  const parsed = parseSnapshot(snapshot);
  for (const c of parsed.clusters) byId.set(c.name, c.name);
  for (const c of membersOf(parsed)) {
    for (const cp of c.data?.controlPlanes ?? []) {
      if (cp.clusterId && !byId.has(cp.clusterId))
        byId.set(cp.clusterId, c.name);
    }
  }
  return id => byId.get(id) ?? id;
}
