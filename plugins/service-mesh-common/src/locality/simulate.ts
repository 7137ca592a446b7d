/*
 * Locality load-balancing simulator: the share of requests each client locality sends to each endpoint locality,
 * as Envoy computes it from the priorities and locality weights Istio programs (Istio:
 * pilot/pkg/networking/core/loadbalancer/loadbalancer.go; Envoy: "Priority levels" and "Locality weighted load
 * balancing" in the load-balancing architecture overview).
 *
 * Modelling choices:
 * - An endpoint group is one (cluster, region, zone, subzone); Envoy's locality is (region, zone, subzone), so
 *   groups of different clusters in one locality share a locality weight and split its share by healthy hosts.
 * - `unhealthy` endpoints are hosts Envoy knows but will not pick (not ready and sent as UNHEALTHY, the default
 *   since Istio 1.31, or ejected by outlier detection); they count in the host totals of the health math.
 * - Multi-network: istiod replaces another network's endpoints by its east-west gateway host(s) with the summed
 *   weight, in the same locality. That keeps the proportions while the gateways are healthy, so shares ignore it;
 *   it does change failoverPriority, because gateway endpoints carry only cluster/network labels (modelled).
 * - Panic mode is not modelled: Istio disables it (threshold 0) whenever outlierDetection is set.
 * - A Service's trafficDistribution (PreferClose/PreferSameZone/PreferSameNode, or Istio's annotation) applies
 *   when no DestinationRule sets localityLbSetting: a failoverPriority istiod derives (trafficDistribution.ts).
 * - Envoy zone-aware routing is not simulated. Istio configures it (cluster.CommonLbConfig.ZoneAwareLbConfig) only
 *   for an explicit zoneAwareLbSetting, in a DestinationRule's loadBalancer or meshConfig (loadbalancer.go
 *   ZoneAwareLBSettings.ApplyToCluster, GetEffectiveLbSetting; added on master in July 2026, istio/istio#60765 and
 *   #61146, so the 1.22 of the demo never sets it), never for trafficDistribution or localityLbSetting, which get
 *   locality_weighted_lb_config or nothing. Envoy's split then depends on the calling proxy's own service's
 *   endpoints per zone (proxy self-discovery), which a per-service simulation does not have. What is modelled:
 *   its precedence, and `enabled: false` (routing_enabled 0%, no priorities: requests spread); an enabled one
 *   gets a note that the shares are not its prediction. Meshwide zoneAwareLbSetting is not read (not collected).
 */
import type { Locality } from '../types/snapshot';
import { compareStrings } from '../util/guards';
import {
  effectiveLocalityWeight,
  priorityHealth,
  priorityLoads,
} from './envoyLoad';
import { formatLocality, localityMatches } from './localityMatch';
import {
  type SaneSimulationInput,
  sanitizeSimulationInput,
  type SimGroup,
} from './sanitize';
import { LABELS } from '../constants';
import {
  CLUSTER_LABEL,
  compactPriorities,
  failoverPriority,
  labelPriority,
  topologyLabels,
} from './priorities';
import {
  type TrafficDistribution,
  trafficDistributionPriority,
} from './trafficDistribution';
import type {
  ClientSplit,
  LocalityLbSetting,
  LocalityShare,
  SimClient,
  SimulationInput,
  SimulationMode,
  SimulationResult,
  UnreachableDestination,
} from './types';

type Plan =
  | { mode: 'none' }
  | {
      mode: 'distribute';
      distribute: NonNullable<LocalityLbSetting['distribute']>;
    }
  | {
      mode: 'failover' | 'failoverPriority';
      failover: NonNullable<LocalityLbSetting['failover']>;
      failoverPriority: string[];
      /** Envoy locality_weighted_lb_config: only with an explicit failover or failoverPriority. */
      localityWeighted: boolean;
    };

/** Which of Istio's code paths applies (GetLocalityLbSetting + ApplyLocalityLoadBalancer), with notes why. */
function plan(
  input: ReturnType<typeof sanitizeSimulationInput>,
  notes: string[],
): Plan {
  const setting = input.policy?.localityLbSetting;
  const distribute = setting?.distribute ?? [];
  const failover = setting?.failover ?? [];
  const failoverPriorityKeys = setting?.failoverPriority ?? [];
  const hasOutlierDetection = input.policy?.outlierDetection !== undefined;

  // GetEffectiveLbSetting: a DestinationRule's zoneAwareLbSetting, else its localityLbSetting, else the Service's
  // traffic distribution, else the mesh's. Zone-aware routing itself is not simulated: see the module comment.
  const zoneAware = input.policy?.zoneAwareLbSetting;
  if (zoneAware && !zoneAware.enabled) {
    // ZoneAwareLBSettings.ApplyToCluster: routing_enabled 0% and no priorities, so Envoy spreads requests.
    notes.push(
      "The DestinationRule disables zone-aware routing (zoneAwareLbSetting.enabled: false): istiod sets routing_enabled 0% and no locality priorities, and it takes precedence over localityLbSetting and the Service's traffic distribution, so requests are spread over all healthy endpoints.",
    );
    return { mode: 'none' };
  }
  if (zoneAware) {
    notes.push(
      "The DestinationRule sets zoneAwareLbSetting: Istio configures Envoy's zone-aware routing instead of locality load balancing (it wins over localityLbSetting and the Service's traffic distribution). Other regions get lower priorities (applyZoneAwareRegionalFailover), and Envoy splits the caller's region by the caller's own endpoints per zone, which this simulation does not know: the shares below are the locality load balancing it replaces, not a prediction.",
    );
  }
  if (input.trafficDistribution) {
    if (!setting)
      return trafficDistributionPlan(input.trafficDistribution, notes);
    notes.push(
      `The DestinationRule's localityLbSetting takes precedence over the Service's traffic distribution (${input.trafficDistribution}).`,
    );
  }

  // A DestinationRule localityLbSetting replaces the mesh-wide one; `enabled: false` on either switches it off.
  const enabled = setting
    ? setting.enabled !== false
    : input.meshLocalityLbEnabled !== false;
  if (!enabled) {
    notes.push(
      setting
        ? 'Locality load balancing is disabled by the DestinationRule (localityLbSetting.enabled: false): requests are spread over all healthy endpoints.'
        : 'Locality load balancing is disabled mesh-wide (meshConfig localityLbSetting.enabled: false): requests are spread over all healthy endpoints.',
    );
    return { mode: 'none' };
  }
  if (distribute.length > 0) {
    if (failover.length > 0) {
      notes.push(
        'distribute and failover are both set (istiod rejects this); distribute is applied.',
      );
    }
    return { mode: 'distribute', distribute };
  }
  if (!hasOutlierDetection) {
    notes.push(
      failover.length > 0 || failoverPriorityKeys.length > 0
        ? 'failover is ignored: no outlierDetection in the DestinationRule, so Envoy gets no priorities and spreads requests over all healthy endpoints.'
        : 'No outlierDetection: no locality priorities, requests are spread round robin over all healthy endpoints (add outlierDetection to keep traffic local).',
    );
    return { mode: 'none' };
  }
  const maxEjection = input.policy?.outlierDetection?.maxEjectionPercent ?? 10;
  if (maxEjection < 100) {
    notes.push(
      `outlierDetection.maxEjectionPercent is ${maxEjection}%: Envoy ejects at most that share of hosts (at least one), so a failed locality may keep receiving requests; the shares assume every failed endpoint is ejected.`,
    );
  }
  if (failoverPriorityKeys.length > 0) {
    const known = new Set(
      Object.keys(topologyLabels({ locality: { region: '', zone: '' } })),
    );
    const unknown = failoverPriorityKeys
      .map(k => k.split('=')[0])
      .filter(k => !known.has(k));
    if (unknown.length > 0) {
      notes.push(
        `failoverPriority labels ${unknown.join(
          ', ',
        )} are not in the snapshot; clients and endpoints are assumed to agree on them.`,
      );
    }
    return {
      mode: 'failoverPriority',
      failover,
      failoverPriority: failoverPriorityKeys,
      localityWeighted: true,
    };
  }
  return {
    mode: 'failover',
    failover,
    failoverPriority: [],
    localityWeighted: failover.length > 0,
  };
}

/** A traffic distribution's setting: failoverPriority with failover forced on (loadbalancer.go `Force: true`). */
function trafficDistributionPlan(
  td: TrafficDistribution,
  notes: string[],
): Plan {
  const failoverPriorityKeys = trafficDistributionPriority(td);
  notes.push(
    `The Service's traffic distribution ${td} (no DestinationRule localityLbSetting): istiod sets failoverPriority ${failoverPriorityKeys.join(
      ', ',
    )} and forces failover, with no outlierDetection needed (it sends unhealthy endpoints so Envoy sees their health).`,
  );
  if (td === 'PreferSameNode') {
    notes.push(
      'Same-node preference ranks endpoints within a locality; the snapshot places endpoints by locality only, so the shares are per locality (assuming each has healthy endpoints on other nodes too).',
    );
  }
  return {
    mode: 'failoverPriority',
    failover: [],
    failoverPriority: failoverPriorityKeys,
    localityWeighted: true,
  };
}

interface PlacedGroup {
  group: SimGroup;
  priority: number;
  /** Dropped by distribute: a locality no `to` key names gets no hosts in Envoy at all. */
  dropped: boolean;
}

function envoyLocalityKey(l: Locality): string {
  return `${l.region}/${l.zone}/${l.subzone ?? ''}`;
}

function clientName(client: SimClient): string {
  const where = formatLocality(client.locality);
  return client.cluster ? `${client.cluster} ${where}` : where;
}

/** Groups the endpoint's labels as a failoverPriority comparison sees them from this client. */
function endpointLabels(
  client: SimClient,
  group: SimGroup,
): Record<string, string> {
  const labels = topologyLabels(group);
  if (client.network && group.network && client.network !== group.network) {
    // Reached through the remote east-west gateway: its endpoints carry only cluster and network labels.
    return {
      [CLUSTER_LABEL]: labels[CLUSTER_LABEL],
      [LABELS.network]: labels[LABELS.network],
    };
  }
  return labels;
}

function assignPriorities(
  client: SimClient,
  groups: SimGroup[],
  p: Plan,
): number[] {
  if (p.mode === 'none' || p.mode === 'distribute') return groups.map(() => 0);
  const raw = groups.map(g => {
    if (p.mode === 'failoverPriority') {
      const prev = labelPriority(
        topologyLabels(client),
        endpointLabels(client, g),
        p.failoverPriority,
      );
      return p.failover.length > 0
        ? failoverPriority(client.locality, g.locality, p.failover, prev)
        : prev;
    }
    return failoverPriority(client.locality, g.locality, p.failover);
  });
  return compactPriorities(raw);
}

/**
 * applyLocalityWeights: the first rule whose `from` matches the client; each `to` key takes the localities it
 * matches (not yet taken) and splits its weight over them in proportion to their endpoint counts (ceil); the
 * localities no key names are dropped. No matching rule: weights stay the endpoint counts.
 */
function distributeWeights(
  client: SimClient,
  groups: SimGroup[],
  distribute: NonNullable<LocalityLbSetting['distribute']>,
  notes: string[],
): { weights: Map<string, number>; dropped: Set<string> } {
  const weights = new Map<string, number>();
  const localities = new Map<string, Locality>();
  for (const g of groups) {
    const key = envoyLocalityKey(g.locality);
    weights.set(key, (weights.get(key) ?? 0) + g.total);
    localities.set(key, g.locality);
  }
  const dropped = new Set<string>();
  const rule = distribute.find(d => localityMatches(client.locality, d.from));
  if (!rule) {
    notes.push(
      `Client ${clientName(
        client,
      )} matches no distribute \`from\`: localities are weighted by their endpoint counts.`,
    );
    return { weights, dropped };
  }
  const unmatched = new Set(localities.keys());
  for (const [toKey, weight] of Object.entries(rule.to)) {
    const matched = [...unmatched]
      .sort(compareStrings)
      .filter(k => localityMatches(localities.get(k)!, toKey));
    const total = matched.reduce((s, k) => s + weights.get(k)!, 0);
    for (const k of matched) {
      unmatched.delete(k);
      const dest = total > 0 ? (weights.get(k)! * weight) / total : 0;
      if (dest > 0) weights.set(k, Math.ceil(dest));
    }
  }
  for (const k of unmatched) dropped.add(k);
  if (dropped.size > 0) {
    notes.push(
      `Client ${clientName(
        client,
      )}: localities not in distribute \`to\` get no traffic, even as fallback: ${[
        ...dropped,
      ]
        .map(k => formatLocality(localities.get(k)!))
        .sort(compareStrings)
        .join(', ')}.`,
    );
  }
  return { weights, dropped };
}

/** Percent shares rounded to 4 decimals, adjusted (largest remainder) so they sum to exactly 100. */
function roundShares(values: number[]): number[] {
  const total = values.reduce((s, v) => s + v, 0);
  if (total <= 0) return values.map(() => 0);
  const units = values.map(v => (v / total) * 1_000_000);
  const floors = units.map(Math.floor);
  let rest = 1_000_000 - floors.reduce((s, v) => s + v, 0);
  const order = units
    .map((u, i) => ({ i, frac: u - floors[i] }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    floors[i] += 1;
    rest -= 1;
  }
  return floors.map(f => f / 10_000);
}

/**
 * Outlier detection ejects hosts whose connections fail: a connection failure is a locally originated error,
 * counted as a 5xx (Istio does not split local-origin errors), so consecutive5xxErrors (default 5 when
 * outlierDetection is set) or consecutiveGatewayErrors trips it.
 */
function ejectsFailingHosts(input: SaneSimulationInput): boolean {
  const od = input.policy?.outlierDetection;
  if (!od) return false;
  return (
    od.consecutive5xxErrors !== 0 || (od.consecutiveGatewayErrors ?? 0) > 0
  );
}

/**
 * The endpoint groups a client's Envoy has, as the reachability model says (see ../analysis/reachability/routes.ts
 * for why Istio keeps unroutable endpoints in EDS): excluded clusters are not there at all; failing ones are
 * there and take their share, which fails, or, with outlier detection, are ejected (unhealthy hosts).
 */
function visibleGroups(
  client: SimClient,
  groups: SimGroup[],
  input: SaneSimulationInput,
  notes: string[],
): {
  groups: SimGroup[];
  unreachable: UnreachableDestination[];
  failing: Set<string>;
} {
  const unreachable: UnreachableDestination[] = [];
  const failing = new Set<string>();
  if (!client.cluster || input.reachability.size === 0)
    return { groups, unreachable, failing };
  const eject = ejectsFailingHosts(input);
  const seen = new Map<
    string,
    ReturnType<SaneSimulationInput['reachability']['get']>
  >();
  const pair = (to: string) => {
    if (!seen.has(to))
      seen.set(to, input.reachability.get(`${client.cluster}\u0000${to}`));
    return seen.get(to);
  };
  const out: SimGroup[] = [];
  for (const g of groups) {
    const r = pair(g.cluster);
    if (!r) out.push(g);
    else if (r.outcome === 'fails' && eject) out.push({ ...g, healthy: 0 });
    else if (r.outcome === 'fails') {
      failing.add(g.cluster);
      out.push(g);
    }
  }
  let hiddenNoted = false;
  for (const [cluster, r] of seen) {
    if (!r) continue;
    unreachable.push({
      cluster,
      outcome: r.outcome,
      reasons: r.reasons,
      ...(r.outcome === 'fails' && eject ? { ejected: true } : {}),
    });
    const why = r.reasons.map(x => `${x.summary} (${x.code})`).join(', ');
    // A Sidecar that does not import the Service hides every cluster's endpoints at once: one note says so.
    if (r.reasons.some(x => x.code === 'MESH055')) {
      if (!hiddenNoted)
        notes.push(
          `Clients in ${client.cluster} do not see the service at all: the Sidecar of their namespace does not import it (${why}). Their requests to it leave through PassthroughCluster (outboundTrafficPolicy ALLOW_ANY, the default: plain TCP to the ClusterIP, only the local cluster's pods, no mTLS, so STRICT peers refuse it) or BlackHoleCluster (REGISTRY_ONLY).`,
        );
      hiddenNoted = true;
    } else if (r.outcome === 'excluded') {
      notes.push(
        `Clients in ${
          client.cluster
        } do not see ${cluster}'s endpoints: their istiod does not discover them${
          why ? `: ${why}` : ''
        }.`,
      );
    } else if (eject) {
      notes.push(
        `Clients in ${
          client.cluster
        } get ${cluster}'s endpoints, but connections fail${
          why ? ` (${why})` : ''
        }: outlier detection ejects them, so their share goes elsewhere (a few requests fail after each ejection time).`,
      );
    } else {
      notes.push(
        `Clients in ${
          client.cluster
        } get ${cluster}'s endpoints, but connections fail${
          why ? ` (${why})` : ''
        }: without outlierDetection nothing ejects them, so their share of requests fails.`,
      );
    }
  }
  unreachable.sort((a, b) => compareStrings(a.cluster, b.cluster));
  return { groups: out, unreachable, failing };
}

function simulateClient(
  client: SimClient,
  allGroups: SimGroup[],
  p: Plan,
  notes: string[],
  input: SaneSimulationInput,
): ClientSplit {
  const { groups, unreachable, failing } = visibleGroups(
    client,
    allGroups,
    input,
    notes,
  );
  const priorities = assignPriorities(client, groups, p);
  let weights = new Map<string, number>();
  let dropped = new Set<string>();
  if (p.mode === 'distribute') {
    ({ weights, dropped } = distributeWeights(
      client,
      groups,
      p.distribute,
      notes,
    ));
  }
  const placed: PlacedGroup[] = groups.map((group, i) => ({
    group,
    priority: priorities[i],
    dropped: dropped.has(envoyLocalityKey(group.locality)),
  }));
  const live = placed.filter(g => !g.dropped);
  const levels =
    live.length > 0 ? Math.max(...live.map(g => g.priority)) + 1 : 0;
  const health: number[] = [];
  for (let prio = 0; prio < levels; prio++) {
    const inLevel = live.filter(g => g.priority === prio);
    health.push(
      priorityHealth(
        inLevel.reduce((s, g) => s + g.group.healthy, 0),
        inLevel.reduce((s, g) => s + g.group.total, 0),
      ),
    );
  }
  const loads = priorityLoads(health);
  const localityWeighted =
    p.mode === 'distribute' || (p.mode !== 'none' && p.localityWeighted);

  const raw = new Map<PlacedGroup, number>();
  for (let prio = 0; prio < levels; prio++) {
    const load = loads[prio];
    const inLevel = live.filter(g => g.priority === prio);
    const healthyInLevel = inLevel.reduce((s, g) => s + g.group.healthy, 0);
    if (load <= 0 || healthyInLevel === 0) continue;
    // Envoy localities of this level, with their locality weight and availability.
    const byLocality = new Map<string, PlacedGroup[]>();
    for (const g of inLevel) {
      const key = envoyLocalityKey(g.group.locality);
      byLocality.set(key, [...(byLocality.get(key) ?? []), g]);
    }
    const effective = new Map<string, number>();
    if (localityWeighted) {
      for (const [key, members] of byLocality) {
        const total = members.reduce((s, g) => s + g.group.total, 0);
        const healthy = members.reduce((s, g) => s + g.group.healthy, 0);
        const weight =
          p.mode === 'distribute' ? weights.get(key) ?? total : total;
        effective.set(key, effectiveLocalityWeight(weight, healthy, total));
      }
    }
    const effectiveTotal = [...effective.values()].reduce((s, v) => s + v, 0);
    if (localityWeighted && effectiveTotal > 0) {
      for (const [key, members] of byLocality) {
        const localityShare = (load * effective.get(key)!) / effectiveTotal;
        const healthy = members.reduce((s, g) => s + g.group.healthy, 0);
        for (const g of members) {
          if (healthy > 0)
            raw.set(g, (localityShare * g.group.healthy) / healthy);
        }
      }
    } else {
      // Plain round robin by host weight over the level's healthy hosts.
      for (const g of inLevel)
        raw.set(g, (load * g.group.healthy) / healthyInLevel);
    }
  }

  const placedTotal = [...raw.values()].reduce((s, v) => s + v, 0);
  const noHealthyUpstream = placedTotal <= 0;
  if (noHealthyUpstream) {
    notes.push(
      `Client ${clientName(
        client,
      )}: no healthy upstream (Envoy answers 503 "no healthy upstream", flag UH).`,
    );
  }

  // Aggregate per (cluster, region, zone).
  const rows = new Map<
    string,
    {
      share: number;
      priority: number;
      cluster: string;
      region: string;
      zone: string;
      subzones: Set<string>;
    }
  >();
  for (const g of placed) {
    const { cluster, locality } = g.group;
    const key = `${cluster}\u0000${locality.region}\u0000${locality.zone}`;
    const row = rows.get(key) ?? {
      share: 0,
      priority: g.priority,
      cluster,
      region: locality.region,
      zone: locality.zone,
      subzones: new Set<string>(),
    };
    row.share += noHealthyUpstream ? 0 : raw.get(g) ?? 0;
    row.priority = Math.min(row.priority, g.priority);
    row.subzones.add(locality.subzone ?? '');
    rows.set(key, row);
  }
  const ordered = [...rows.values()].sort(
    (a, b) =>
      a.priority - b.priority ||
      compareStrings(a.cluster, b.cluster) ||
      compareStrings(a.region, b.region) ||
      compareStrings(a.zone, b.zone),
  );
  const rounded = noHealthyUpstream
    ? ordered.map(() => 0)
    : roundShares(ordered.map(r => r.share));
  const shares: LocalityShare[] = ordered.map((r, i) => {
    const subzone = r.subzones.size === 1 ? [...r.subzones][0] : '';
    return {
      cluster: r.cluster,
      region: r.region,
      zone: r.zone,
      ...(subzone ? { subzone } : {}),
      priority: r.priority,
      share: rounded[i],
      ...(failing.has(r.cluster) ? { fails: true } : {}),
    };
  });
  shares.sort(
    (a, b) =>
      a.priority - b.priority ||
      b.share - a.share ||
      compareStrings(a.cluster, b.cluster) ||
      compareStrings(a.region, b.region) ||
      compareStrings(a.zone, b.zone),
  );
  const failingShare = shares
    .filter(x => x.fails)
    .reduce((sum, x) => sum + x.share, 0);
  return {
    client,
    noHealthyUpstream,
    shares,
    ...(unreachable.length > 0 ? { unreachable } : {}),
    ...(failingShare > 0
      ? { failingShare: Math.round(failingShare * 10_000) / 10_000 }
      : {}),
  };
}

function defaultClients(groups: SimGroup[]): SimClient[] {
  const clients = new Map<string, SimClient>();
  for (const g of groups) {
    const key = `${g.cluster}/${envoyLocalityKey(g.locality)}`;
    if (!clients.has(key)) {
      clients.set(key, {
        cluster: g.cluster,
        ...(g.network ? { network: g.network } : {}),
        locality: { ...g.locality },
      });
    }
  }
  return [...clients.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, c]) => c);
}

export function simulateLocality(input: SimulationInput): SimulationResult {
  const sane = sanitizeSimulationInput(input);
  const notes: string[] = [];
  const p = plan(sane, notes);
  if (
    sane.groups.some(g => g.network) &&
    new Set(sane.groups.map(g => g.network)).size > 1
  ) {
    notes.push(
      input.reachability
        ? 'Endpoints on other networks are reached through east-west gateways, as the reachability model finds them.'
        : 'Endpoints on other networks are reached through east-west gateways; the shares assume those gateways are healthy.',
    );
  }
  const clients = sane.clients?.length
    ? sane.clients
    : defaultClients(sane.groups);
  const splits = clients.map(c =>
    simulateClient(c, sane.groups, p, notes, sane),
  );
  const mode: SimulationMode = p.mode;
  return { mode, notes: [...new Set(notes)], clients: splits };
}
