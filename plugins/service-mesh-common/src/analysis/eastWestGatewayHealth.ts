/*
 * The state of a cluster's east-west gateways, assessed once for both the gateway checks (MESH031–035) and the
 * overview's health badge, so the badge can never say "healthy" while a check reports the gateway broken.
 * istiod uses a network's gateway only when its Service carries topology.istio.io/network, exposes 15443 and
 * has an external address (LoadBalancer ingress or externalIPs); the gateway pods then need a Gateway with tls
 * AUTO_PASSTHROUGH on 15443 to route the mTLS SNI (Istio's multi-network install: expose-services.yaml).
 */
import { CROSS_NETWORK_PORT } from '../constants';
import { matchLabelsSubsetOf } from '../labels/labelSelector';
import type { EastWestGatewayHealth, GatewayProblem } from '../types/api';
import type {
  ClusterMeshData,
  EastWestGateway,
  GatewayHealth,
  IstioGatewayResource,
} from '../types/snapshot';
import { type NetworkDeclaration, workloadsNetwork } from './network';

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

/** A Gateway that passes cross-network mTLS through on 15443. */
function passesThrough(g: IstioGatewayResource): boolean {
  return g.servers.some(
    s =>
      s.port === CROSS_NETWORK_PORT &&
      (s.tlsMode ?? '').toUpperCase() === 'AUTO_PASSTHROUGH',
  );
}

/**
 * Assesses the east-west gateways of one cluster. `gatewaysReadable`: the Istio Gateways could be listed (else
 * a missing passthrough Gateway is unknown, not a problem).
 */
export function assessEastWestGateways(
  data: ClusterMeshData,
  gatewaysReadable = true,
): ClusterGatewayAssessment {
  const declaredNetwork = workloadsNetwork(data);
  const passthrough = (data.gateways ?? []).filter(passesThrough);
  // Without pod labels in the snapshot the selector cannot be verified; give it the benefit of the doubt.
  const selects = (g: IstioGatewayResource, gw: EastWestGateway) =>
    Object.keys(gw.podLabels).length === 0 ||
    matchLabelsSubsetOf(g.selector, gw.podLabels);
  const gateways = data.eastWestGateways ?? [];
  const selecting = passthrough.filter(g =>
    gateways.some(gw => selects(g, gw)),
  );
  const noPassthroughGateway =
    gateways.length > 0 && gatewaysReadable && selecting.length === 0;

  return {
    declaredNetwork,
    passthrough,
    selecting,
    noPassthroughGateway,
    gateways: gateways.map(gateway => {
      const problems: GatewayProblem[] = [];
      if (
        gateway.readyReplicas < gateway.desiredReplicas ||
        gateway.desiredReplicas === 0
      )
        problems.push('replicas');
      if (gateway.addresses.length === 0) problems.push('no-address');
      if (!gateway.ports.some(p => p.port === CROSS_NETWORK_PORT))
        problems.push('no-cross-network-port');
      if (!gateway.network) problems.push('no-network-label');
      else if (declaredNetwork && gateway.network !== declaredNetwork.network)
        problems.push('network-mismatch');
      if (noPassthroughGateway) problems.push('no-passthrough-gateway');
      const health: GatewayAssessment['health'] =
        gateway.readyReplicas === 0
          ? 'down'
          : problems.length > 0
          ? 'degraded'
          : 'healthy';
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
  return {
    health: best.health,
    name: `${g.namespace}/${g.name}`,
    ...(g.network ? { network: g.network } : {}),
    readyReplicas: g.readyReplicas,
    desiredReplicas: g.desiredReplicas,
    addresses: g.addresses,
    ports: g.ports.map(p => p.port),
    ...(best.problems.length > 0 ? { problems: best.problems } : {}),
  };
}
