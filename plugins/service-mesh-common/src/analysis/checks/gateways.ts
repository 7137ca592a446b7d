/*
 * East-west gateways (MESH030–035), checked only when the mesh spans several networks. How istiod finds a
 * network's gateways lives in ../reachability (gatewayExposure.ts: one Service; routes.ts: which gateways a client
 * gets; networks.ts: which network a cluster's workloads are on); these checks emit their findings. The runner
 * then makes them agree with the reachability model (reachability/reconcile.ts): a problem that cuts no client
 * off is a warning, and MESH036 comes from the model.
 */
import { defineCheck } from '../check';
import { type FindingInput, makeFinding } from '../finding';
import {
  declaredNetwork,
  missingNetworkFinding,
  networkMismatchFinding,
} from '../reachability/networks';
import {
  inboundNetwork,
  meshGateways,
  needsGateway,
  noGatewayFinding,
  notReadyFinding,
  passthroughFinding,
} from '../reachability/routes';

/** MESH030–033: the east-west gateway exists, is ready, has an address and exposes its cross-network port. */
export const eastWestGatewaysCheck = defineCheck({
  name: 'eastWestGateways',
  // The cluster's network (MESH030: does any gateway serve it) and meshNetworks gateways read the mesh config.
  inputs: ['eastWestGateways', 'systemNamespaceNetwork', 'meshConfigs'],
  codes: ['MESH030', 'MESH031', 'MESH032', 'MESH033'],
  run: ctx => {
    if (!ctx.multiNetwork) return [];
    const gateways = meshGateways(ctx);
    const out: FindingInput[] = [];
    for (const m of ctx.withData) {
      if (needsGateway(ctx, m))
        out.push(noGatewayFinding(m, inboundNetwork(m) ?? '<network>'));
      for (const e of gateways.byCluster.get(m.name) ?? []) {
        const gw = e.gateway;
        if (gw.readyReplicas < gw.desiredReplicas || gw.desiredReplicas === 0)
          out.push(notReadyFinding(m.name, e));
        out.push(...e.unpublishedBecause.filter(f => f.code !== 'MESH035'));
      }
    }
    return out.map(makeFinding);
  },
});

/** MESH034: an Istio Gateway passes the cross-network port through (AUTO_PASSTHROUGH) for the gateway's pods. */
export const crossNetworkGatewayCheck = defineCheck({
  name: 'crossNetworkGateway',
  // meshConfigs: a meshNetworks registryServiceName gateway has its port there.
  inputs: ['eastWestGateways', 'gateways', 'meshConfigs'],
  codes: ['MESH034'],
  run: ctx => {
    if (!ctx.multiNetwork) return [];
    const gateways = meshGateways(ctx);
    return ctx.withData
      .flatMap(
        m => passthroughFinding(m, gateways.byCluster.get(m.name) ?? []) ?? [],
      )
      .map(makeFinding);
  },
});

/** MESH035: the network is declared for the workloads and on the gateway, with one name. */
export const networkLabelsCheck = defineCheck({
  name: 'networkLabels',
  inputs: ['eastWestGateways', 'systemNamespaceNetwork', 'meshConfigs'],
  codes: ['MESH035'],
  run: ctx => {
    if (!ctx.multiNetwork) return [];
    const gateways = meshGateways(ctx);
    const out: FindingInput[] = [];
    for (const m of ctx.withData) {
      const declared = declaredNetwork(m);
      for (const e of gateways.byCluster.get(m.name) ?? []) {
        out.push(...e.unpublishedBecause.filter(f => f.code === 'MESH035'));
        if (declared && e.network && e.network !== declared.network)
          out.push(networkMismatchFinding(m, e.gateway, declared));
      }
      if (!declared) out.push(missingNetworkFinding(m));
    }
    return out.map(makeFinding);
  },
});

export const GATEWAY_CHECKS = [
  eastWestGatewaysCheck,
  crossNetworkGatewayCheck,
  networkLabelsCheck,
];
