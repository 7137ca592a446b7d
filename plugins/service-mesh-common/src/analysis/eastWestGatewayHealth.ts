/*
 * The state of a cluster's east-west gateways, from the same functions for the gateway checks (MESH031–035) and
 * the overview's health badge, so the badge can never say "healthy" while a check reports the gateway broken.
 * Each check calls the part it declares inputs for; the badge calls them all (assessEastWestGateways).
 * Whether istiod publishes a gateway (network label, mTLS port, an address: LoadBalancer ingress, externalIPs or
 * NodePort node ExternalIPs) and whether an AUTO_PASSTHROUGH Gateway serves it are the reachability model's
 * exposure rules (reachability/gatewayExposure.ts), so the badge, the checks and the model read one rule.
 */
import { CROSS_NETWORK_PORT } from '../constants';
import type { EastWestGatewayHealth, GatewayProblem } from '../types/api';
import type {
  ClusterMeshData,
  EastWestGateway,
  GatewayHealth,
  IstioGatewayResource,
} from '../types/snapshot';
import { type NetworkDeclaration, workloadsNetwork } from './network';
import { exposeGateways, passthroughOf } from './reachability/gatewayExposure';

export interface GatewayAssessment {
  gateway: EastWestGateway;
  problems: GatewayProblem[];
  health: Exclude<GatewayHealth, 'absent'>;
}

export interface ClusterGatewayAssessment {
  gateways: GatewayAssessment[];
  /** Where the cluster declares its workloads' network, if anywhere. */
  declaredNetwork?: NetworkDeclaration;
  /** Gateways passing 15443 through, and those among them that select some east-west gateway's pods. */
  passthrough: IstioGatewayResource[];
  selecting: IstioGatewayResource[];
  /** MESH034 holds: gateways exist, Gateways could be read, and none selects their pods. */
  noPassthroughGateway: boolean;
}

/** MESH031–033: what keeps one gateway from serving (reads the gateway only). */
export function gatewayServingProblems(
  gateway: EastWestGateway,
): GatewayProblem[] {
  const [exposure] = exposeGateways('', { eastWestGateways: [gateway] });
  const problems: GatewayProblem[] = [];
  if (!exposure.ready || gateway.readyReplicas < gateway.desiredReplicas)
    problems.push('replicas');
  const codes = new Set(exposure.unpublishedBecause.map(f => f.code));
  if (codes.has('MESH032')) problems.push('no-address');
  if (codes.has('MESH033')) problems.push('no-cross-network-port');
  return problems;
}

/** MESH034: the Gateways passing the gateways' mTLS port through, and whether one selects their pods. */
export function passthroughGateways(
  data: Pick<ClusterMeshData, 'eastWestGateways' | 'gateways'>,
  gatewaysReadable = true,
): Pick<
  ClusterGatewayAssessment,
  'passthrough' | 'selecting' | 'noPassthroughGateway'
> {
  const exposures = exposeGateways('', {
    eastWestGateways: data.eastWestGateways ?? [],
  });
  const gateways = data.gateways ?? [];
  const passthrough = gateways.filter(g =>
    exposures.some(e => passthroughOf(e, [{ ...g, selector: {} }])),
  );
  const selecting = passthrough.filter(g =>
    exposures.some(e => passthroughOf(e, [g])),
  );
  return {
    passthrough,
    selecting,
    noPassthroughGateway:
      exposures.length > 0 && gatewaysReadable && selecting.length === 0,
  };
}

/** MESH035: a gateway without network label, or with another network than the workloads are declared on. */
export function gatewayNetworkProblems(
  gateway: EastWestGateway,
  declaredNetwork: NetworkDeclaration | undefined,
): GatewayProblem[] {
  if (!gateway.network) return ['no-network-label'];
  if (declaredNetwork && gateway.network !== declaredNetwork.network)
    return ['network-mismatch'];
  return [];
}

/**
 * Everything about one cluster's east-west gateways, for the overview. `gatewaysReadable`: the Istio Gateways
 * could be listed (else a missing passthrough Gateway is unknown, not a problem).
 */
export function assessEastWestGateways(
  data: ClusterMeshData,
  gatewaysReadable = true,
): ClusterGatewayAssessment {
  const declaredNetwork = workloadsNetwork(data);
  const passthrough = passthroughGateways(data, gatewaysReadable);
  return {
    declaredNetwork,
    ...passthrough,
    gateways: (data.eastWestGateways ?? []).map(gateway => {
      const problems = [
        ...gatewayServingProblems(gateway),
        ...gatewayNetworkProblems(gateway, declaredNetwork),
        ...(passthrough.noPassthroughGateway
          ? (['no-passthrough-gateway'] as const)
          : []),
      ];
      let health: GatewayAssessment['health'] = 'healthy';
      if (gateway.readyReplicas === 0) health = 'down';
      else if (problems.length > 0) health = 'degraded';
      return { gateway, problems, health };
    }),
  };
}

const RANK: Record<GatewayHealth, number> = {
  healthy: 0,
  degraded: 1,
  down: 2,
  absent: 3,
};

/**
 * The health shown for a cluster's east-west gateway: the best of its gateways (several gateway Services, e.g.
 * one per revision), from the same assessment the gateway checks report.
 */
export function eastWestGatewayHealth(
  assessment: ClusterGatewayAssessment | undefined,
): EastWestGatewayHealth {
  const best = [...(assessment?.gateways ?? [])].sort(
    (a, b) => RANK[a.health] - RANK[b.health],
  )[0];
  if (!best) {
    return {
      health: 'absent',
      readyReplicas: 0,
      desiredReplicas: 0,
      addresses: [],
      ports: [],
    };
  }
  const g = best.gateway;
  // The addresses and port istiod publishes (a NodePort gateway: its nodes' ExternalIPs and the node port).
  const [exposure] = exposeGateways('', { eastWestGateways: [g] });
  return {
    health: best.health,
    name: `${g.namespace}/${g.name}`,
    ...(g.network ? { network: g.network } : {}),
    readyReplicas: g.readyReplicas,
    desiredReplicas: g.desiredReplicas,
    addresses: exposure.addresses.map(a => a.address),
    ports: g.ports.map(p => p.port),
    ...(exposure.publishedPort !== CROSS_NETWORK_PORT
      ? { crossNetworkPort: exposure.publishedPort }
      : {}),
    ...(best.problems.length > 0 ? { problems: best.problems } : {}),
  };
}
