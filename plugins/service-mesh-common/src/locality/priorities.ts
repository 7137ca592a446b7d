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
 * applyFailoverPriorityPerLocality: with N keys, the first key j (in order) on which client and endpoint differ
 * gives N − j; all equal gives 0. `key=value` entries compare the endpoint against the value instead of the
 * client's label. When the first key is topology.istio.io/network and differs, the endpoint gets +N and the
 * remaining keys are still compared, so remote networks rank below every local endpoint but keep their order.
 */
export function labelPriority(
  clientLabels: Record<string, string>,
  endpointLabels: Record<string, string>,
  keys: string[],
): number {
  const n = keys.length;
  const parsed = keys.map(k => {
    const eq = k.indexOf('=');
    return eq < 0
      ? { key: k, value: undefined }
      : { key: k.slice(0, eq), value: k.slice(eq + 1) };
  });
  const differs = (j: number) => {
    const { key, value } = parsed[j];
    return (value ?? clientLabels[key] ?? '') !== (endpointLabels[key] ?? '');
  };
  let priority = 0;
  let start = 0;
  if (n > 0 && parsed[0].key === LABELS.network && differs(0)) {
    priority = n;
    start = 1;
  }
  for (let j = start; j < n; j++) {
    if (differs(j)) return priority + n - j;
  }
  return priority;
}

/** Priorities must be 0..N without gaps: map the distinct values to their rank. */
export function compactPriorities(priorities: number[]): number[] {
  const ranks = new Map(
    [...new Set(priorities)].sort((a, b) => a - b).map((p, i) => [p, i]),
  );
  return priorities.map(p => ranks.get(p) ?? 0);
}
