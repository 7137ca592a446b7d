/*
 * Envoy priorities Istio assigns to endpoint groups relative to a client
 * (pilot/pkg/networking/core/loadbalancer/loadbalancer.go).
 */
import { LABELS } from '../constants';
import type { Locality } from '../types/snapshot';

export const CLUSTER_LABEL = 'topology.istio.io/cluster';

/** util.LbPriority: 0 same region/zone/subzone, 1 same zone, 2 same region, 3 another region. */
export function basePriority(client: Locality, endpoint: Locality): number {
  if (client.region !== endpoint.region) return 3;
  if (client.zone !== endpoint.zone) return 2;
  return (client.subzone ?? '') === (endpoint.subzone ?? '') ? 0 : 1;
}

/**
 * applyLocalityFailover: another region gets 4 instead of 3 when the first `failover` entry whose `from` is the
 * client's region points elsewhere; combined with an earlier failoverPriority level as `prev × 5 + base`.
 */
export function failoverPriority(
  client: Locality,
  endpoint: Locality,
  failover: Array<{ from: string; to: string }>,
  previous = 0,
): number {
  let priority = basePriority(client, endpoint);
  if (priority === 3) {
    const rule = failover.find(f => f.from === client.region);
    if (rule && endpoint.region !== rule.to) priority = 4;
  }
  return previous * 5 + priority;
}

/** Labels a client or an endpoint carries for failoverPriority (Istio augments pod labels with these). */
export function topologyLabels(p: {
  cluster?: string;
  network?: string;
  locality: Locality;
}): Record<string, string> {
  return {
    [CLUSTER_LABEL]: p.cluster ?? '',
    [LABELS.network]: p.network ?? '',
    [LABELS.region]: p.locality.region,
    [LABELS.zone]: p.locality.zone,
    [LABELS.subzone]: p.locality.subzone ?? '',
  };
}

/**
 * loadbalancer.go priorityLabelOverrides: each entry split on `=`; the part before the first `=` is the label,
 * and only an entry with exactly one `=` overrides the value compared against (`a=b=c` compares label `a` with
 * the client's own value). Overrides are keyed by label, so the last override of a label applies to every entry
 * of that label, bare ones included.
 */
export function priorityLabelOverrides(keys: readonly string[]): {
  labels: string[];
  overrides: Map<string, string>;
} {
  const labels: string[] = [];
  const overrides = new Map<string, string>();
  for (const entry of keys) {
    const parts = entry.split('=');
    labels.push(parts[0]);
    if (parts.length === 2) overrides.set(parts[0], parts[1]);
  }
  return { labels, overrides };
}

/**
 * loadbalancer.go applyFailoverPriorityPerLocality, for one endpoint: with N entries, the first label j (in
 * order) whose value for the client (its override, else the client's label) differs from the endpoint's gives
 * N − j; all equal gives 0. Network first: only when the first entry is exactly the bare key
 * `topology.istio.io/network` (`includesNetwork` compares the raw entry, so `topology.istio.io/network=n1` is an
 * ordinary overridden label) does a different network add N and let the remaining labels still be compared, so
 * remote networks rank below every local endpoint but keep their order.
 */
export function labelPriority(
  clientLabels: Record<string, string>,
  endpointLabels: Record<string, string>,
  keys: readonly string[],
): number {
  const lowest = keys.length;
  const includesNetwork = lowest > 0 && keys[0] === LABELS.network;
  const { labels, overrides } = priorityLabelOverrides(keys);
  let priority = 0;
  let adjust = 0;
  for (let j = 0; j < labels.length; j++) {
    const label = labels[j];
    const forClient = overrides.has(label)
      ? overrides.get(label)!
      : clientLabels[label] ?? '';
    if (forClient === (endpointLabels[label] ?? '')) continue;
    if (j === 0 && includesNetwork) {
      adjust = lowest;
      continue;
    }
    priority = lowest - j;
    break;
  }
  return priority + adjust;
}

/** Priorities must be 0..N without gaps: map the distinct values to their rank. */
export function compactPriorities(priorities: number[]): number[] {
  const ranks = new Map(
    [...new Set(priorities)].sort((a, b) => a - b).map((p, i) => [p, i]),
  );
  return priorities.map(p => ranks.get(p) ?? 0);
}
