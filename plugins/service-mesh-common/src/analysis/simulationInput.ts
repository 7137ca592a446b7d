/*
 * The traffic policy in force for a service, and the simulator input for a service across the mesh.
 */
import type {
  SimClient,
  SimEndpointGroup,
  SimTrafficPolicy,
  SimulationInput,
} from '../locality/types';
import type {
  ClusterMeshData,
  ClusterSnapshot,
  MeshSnapshot,
} from '../types/snapshot';
import { asArray, asString, compareStrings, isRecord } from '../util/guards';
import { serviceDestinationRule } from './destinationRules';
import { membersOf } from './membership';
import { clusterNetwork } from './network';
import { parseSnapshot } from '../types/snapshot';
import { simTrafficPolicyOf } from './destinationRuleSpec';
import {
  resolveTrafficDistribution,
  type TrafficDistribution,
} from '../locality/trafficDistribution';
import {
  meshReachability,
  pairOf,
  reasonOf,
  simReachability,
} from './reachability/model';
import {
  sidecarHidesFinding,
  sidecarVisibility,
} from './reachability/sidecarVisibility';
import { meshSettings } from './meshSettings';
import type { ReachabilityMatrix } from '../types/reachability';

/**
 * The top-level traffic policy of the DestinationRule this cluster's istiod gives a client in the service's
 * namespace (serviceDestinationRule: Istio's lookup order and merge), or undefined when no rule applies. The
 * source is the rule the traffic policy comes from (of several merged rules, the oldest that has one).
 */
export function selectTrafficPolicy(
  data: ClusterMeshData,
  service: { namespace: string; name: string },
): SimTrafficPolicy | undefined {
  const svc = serviceRef(service);
  if (!svc) return undefined;
  const rule = serviceDestinationRule(data, svc);
  if (!rule) return undefined;
  const source = rule.trafficPolicyFrom ?? rule.from[0];
  return {
    ...simTrafficPolicyOf(rule.spec),
    source: { namespace: source.namespace, name: source.name },
  };
}

function serviceRef(
  value: unknown,
): { namespace: string; name: string } | undefined {
  if (!isRecord(value)) return undefined;
  const namespace = asString(value.namespace);
  const name = asString(value.name);
  return namespace && name ? { namespace, name } : undefined;
}

/**
 * The snapshot reduced to what one service's simulation reads, before normalising: the backend calls this for
 * every service of an entity, and normalising thousands of other services each time would dominate.
 * DestinationRules are left out too: the policy is looked up in the raw data's index (destinationRuleIndex).
 */
function pruneSnapshot(
  snapshot: unknown,
  service: { namespace: string; name: string },
): unknown {
  if (!isRecord(snapshot)) return snapshot;
  return {
    ...snapshot,
    clusters: asArray(snapshot.clusters).map(c => {
      if (!isRecord(c) || !isRecord(c.data)) return c;
      const {
        workloads,
        namespaces,
        peerAuthentications,
        virtualServices,
        destinationRules,
        services,
        ...data
      } = c.data;
      return {
        ...c,
        data: {
          ...data,
          services: asArray(services).filter(
            s =>
              isRecord(s) &&
              s.namespace === service.namespace &&
              s.name === service.name,
          ),
          // The service's namespace only: its traffic-distribution annotation is inherited.
          namespaces: asArray(namespaces).filter(
            n => isRecord(n) && n.name === service.namespace,
          ),
        },
      };
    }),
  };
}

function hasService(
  cluster: ClusterSnapshot,
  service: { namespace: string; name: string },
) {
  return (cluster.data?.services ?? []).some(
    s => s.namespace === service.namespace && s.name === service.name,
  );
}

function localityKey(c: SimClient): string {
  return [
    c.cluster ?? '',
    c.locality.region,
    c.locality.zone,
    c.locality.subzone ?? '',
  ].join('/');
}

/**
 * The Service's traffic distribution as the client cluster's istiod sees it: from its own cluster's Service (the
 * aggregate registry lists istiod's cluster first, and mergeService keeps the first one's attributes;
 * pilot/pkg/serviceregistry/aggregate/controller.go), else the first member that has the Service.
 */
function serviceTrafficDistribution(
  client: ClusterSnapshot,
  service: { namespace: string; name: string },
  members: ClusterSnapshot[],
): TrafficDistribution | undefined {
  const owner = [client, ...members].find(m => hasService(m, service));
  const svc = owner?.data?.services.find(
    s => s.namespace === service.namespace && s.name === service.name,
  );
  if (!svc) return undefined;
  const ns = owner!.data!.namespaces.find(n => n.name === service.namespace);
  return resolveTrafficDistribution(
    svc.trafficDistribution,
    svc.trafficDistributionAnnotation,
    ns?.trafficDistribution,
  );
}

/**
 * Simulator input for a service: its endpoints in every member (ready = healthy, not ready = unhealthy), which of
 * them each client cluster can reach (the reachability model: an undiscovered cluster is excluded, an
 * unroutable or untrusted one fails), and the policy as the client cluster's istiod applies it (Istio config is
 * per primary, so clusters may disagree). The client cluster defaults to the first member that has the service;
 * when given explicitly, the clients are the localities of that cluster (its nodes and the service's endpoints
 * there), else every endpoint locality. `reachability` is the model of `snapshot` when the caller has it.
 */
export function buildSimulationInput(
  snapshot: MeshSnapshot,
  serviceArg: { namespace: string; name: string },
  clientCluster?: string,
  reachability?: ReachabilityMatrix,
  /** The client workload's namespace (and labels), for its Sidecar scope; only with `clientCluster`. */
  clientWorkload?: { namespace: string; labels?: Record<string, string> },
): SimulationInput {
  const service = serviceRef(serviceArg);
  if (!service) return { endpoints: [] };
  const members = membersOf(
    parseSnapshot(pruneSnapshot(snapshot, service)),
  ).filter(m => m.data);
  const endpoints: SimEndpointGroup[] = [];
  for (const member of members) {
    const network = clusterNetwork(member);
    for (const svc of member.data!.services) {
      if (svc.namespace !== service.namespace || svc.name !== service.name)
        continue;
      for (const group of svc.endpoints) {
        if (group.ready + group.notReady === 0) continue;
        endpoints.push({
          cluster: member.name,
          ...(network ? { network } : {}),
          locality: group.locality,
          healthy: group.ready,
          unhealthy: group.notReady,
        });
      }
    }
  }

  const client =
    (clientCluster ? members.find(m => m.name === clientCluster) : undefined) ??
    members.find(m => hasService(m, service));
  const input: SimulationInput = { endpoints };
  const endpointClusters = endpoints.map(e => e.cluster);
  const matrix = reachability ?? meshReachability(snapshot);
  let unreachable = simReachability(
    matrix,
    clientCluster ? [clientCluster] : endpointClusters,
    endpointClusters,
  );
  if (clientCluster && clientWorkload) {
    const hidden = sidecarHides(
      members,
      matrix,
      clientCluster,
      clientWorkload,
      service,
    );
    // Hidden by the Sidecar: no endpoint of any cluster is in the client's config, whatever the pairs say.
    if (hidden)
      unreachable = [...new Set(endpointClusters)].map(to => ({
        from: clientCluster,
        to,
        outcome: 'excluded' as const,
        reasons: [hidden],
      }));
  }
  if (unreachable.length > 0) input.reachability = unreachable;
  if (!client?.data) return input;

  // The raw cluster data: its DestinationRule index is built once per snapshot, not per call.
  const rawClient = asArray(snapshot.clusters).find(
    c => isRecord(c) && c.name === client.name,
  ) as ClusterSnapshot | undefined;
  const policy = selectTrafficPolicy(rawClient?.data ?? client.data, service);
  if (policy)
    input.policy = {
      ...policy,
      source: { ...policy.source!, cluster: client.name },
    };
  const td = serviceTrafficDistribution(client, service, members);
  if (td) input.trafficDistribution = td;
  // Mesh-wide localityLbSetting.enabled: any revision switching it off is taken as off.
  if (client.data.meshConfigs.some(m => m.localityLbEnabled === false)) {
    input.meshLocalityLbEnabled = false;
  }

  if (clientCluster && client.name === clientCluster) {
    const network = clusterNetwork(client);
    const clients = new Map<string, SimClient>();
    const add = (region: string, zone: string, subzone?: string) => {
      const c: SimClient = {
        cluster: client.name,
        ...(network ? { network } : {}),
        locality: { region, zone, ...(subzone ? { subzone } : {}) },
      };
      clients.set(localityKey(c), c);
    };
    for (const l of client.data.nodes.byLocality) add(l.region, l.zone);
    for (const e of endpoints) {
      if (e.cluster === client.name)
        add(e.locality.region, e.locality.zone, e.locality.subzone);
    }
    if (clients.size > 0) {
      input.clients = [...clients.entries()]
        .sort(([a], [b]) => compareStrings(a, b))
        .map(([, c]) => c);
    }
  }
  return input;
}

/**
 * MESH055 as a reachability reason when the Sidecar scope of the client's namespace, in the cluster whose istiod
 * configures the client (the pair's control plane: itself for a primary), does not import the Service.
 */
function sidecarHides(
  members: ClusterSnapshot[],
  matrix: ReachabilityMatrix,
  clientCluster: string,
  client: { namespace: string; labels?: Record<string, string> },
  service: { namespace: string; name: string },
) {
  const configName =
    pairOf(matrix, clientCluster, clientCluster)?.controlPlane ?? clientCluster;
  const config = members.find(m => m.name === configName)?.data;
  if (!config) return undefined;
  const ports = members
    .flatMap(m => m.data?.services ?? [])
    .find(s => s.namespace === service.namespace && s.name === service.name)
    ?.ports.map(p => p.port);
  const visibility = sidecarVisibility(config.sidecars, {
    rootNamespace: meshSettings(config.meshConfigs).rootNamespace,
    clientNamespace: client.namespace,
    service: { ...service, ...(ports ? { ports } : {}) },
    ...(client.labels ? { workloadLabels: client.labels } : {}),
  });
  if (visibility.visible || !visibility.sidecar) return undefined;
  return reasonOf(
    sidecarHidesFinding(
      configName,
      client.namespace,
      service,
      visibility.sidecar,
    ),
  );
}
