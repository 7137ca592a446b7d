/*
 * East-west gateways (MESH030–035), checked only when the mesh spans several networks. istiod finds a network's
 * gateway from a Service labelled topology.istio.io/network that exposes 15443 and has an external address
 * (LoadBalancer ingress or externalIPs); remote-network endpoints are replaced by that address. The gateway pods
 * need an Istio Gateway with tls AUTO_PASSTHROUGH on 15443 to route the mTLS SNI to the right service.
 */
import { CROSS_NETWORK_PORT, LABELS } from '../../constants';
import type { Finding } from '../../types/api';
import type { EastWestGateway } from '../../types/snapshot';
import { defineCheck } from '../check';
import { type AnalysisContext, ctxFlag, type MemberData } from '../context';
import {
  gatewayNetworkProblems,
  gatewayServingProblems,
  passthroughGateways,
} from '../eastWestGatewayHealth';
import { workloadsNetwork } from '../network';
import { makeFinding } from '../finding';

function gatewayResource(gw: EastWestGateway) {
  return { kind: 'Service', namespace: gw.namespace, name: gw.name };
}

/**
 * MESH031's resource: the replicas and pod readiness are the gateway Deployment's (the one the Service's selector
 * matches), so that is what must change; without a matching Deployment, the Service's selector is.
 */
function replicasResource(gw: EastWestGateway) {
  return gw.deployment
    ? { kind: 'Deployment', namespace: gw.namespace, name: gw.deployment }
    : gatewayResource(gw);
}

/** MESH031: the gateway Deployment has fewer ready replicas than desired (none: error), or there is none. */
function replicasFinding(cluster: string, gw: EastWestGateway): Finding {
  const c = ctxFlag(cluster);
  const base = {
    code: 'MESH031' as const,
    severity:
      gw.readyReplicas === 0 ? ('error' as const) : ('warning' as const),
    clusters: [cluster],
    resource: replicasResource(gw),
  };
  const deployment = `${gw.namespace}/${gw.deployment}`;
  if (!gw.deployment) {
    return makeFinding({
      ...base,
      message: `East-west gateway Service ${gw.namespace}/${gw.name} in ${cluster} selects no Deployment in ${gw.namespace}: no gateway pod serves it and cross-network traffic to ${cluster} fails.`,
      hint: `kubectl -n ${gw.namespace} get service ${gw.name} -o jsonpath='{.spec.selector}' ${c}; kubectl -n ${gw.namespace} get deployments --show-labels ${c} (the selector must match the gateway pods' labels; or install the gateway: samples/multicluster/gen-eastwest-gateway.sh | istioctl install -y -f - ${c})`,
    });
  }
  if (gw.desiredReplicas === 0) {
    return makeFinding({
      ...base,
      message: `East-west gateway Deployment ${deployment} in ${cluster} is scaled to 0 replicas: cross-network traffic to ${cluster} fails.`,
      hint: `kubectl -n ${gw.namespace} scale deployment/${gw.deployment} --replicas=2 ${c}`,
    });
  }
  return makeFinding({
    ...base,
    message: `East-west gateway Deployment ${deployment} in ${cluster} has ${
      gw.readyReplicas
    }/${gw.desiredReplicas} ready replicas${
      gw.readyReplicas === 0
        ? `: cross-network traffic to ${cluster} fails`
        : ''
    }.`,
    hint: `kubectl -n ${gw.namespace} describe deployment/${gw.deployment} ${c}; kubectl -n ${gw.namespace} get pods -o wide ${c} (look for pending or crash-looping istio-eastwestgateway pods)`,
  });
}

function networkFor(m: MemberData, gw?: EastWestGateway): string {
  return m.network ?? gw?.network ?? '<network>';
}

function selectorSuggestion(gw: EastWestGateway): string {
  if (gw.podLabels.istio) return `{istio: ${gw.podLabels.istio}}`;
  if (gw.podLabels.app) return `{app: ${gw.podLabels.app}}`;
  return '{istio: eastwestgateway}';
}

/** MESH030–033: the east-west gateway exists, is ready, has an address and exposes 15443. */
export const eastWestGatewaysCheck = defineCheck({
  name: 'eastWestGateways',
  inputs: ['eastWestGateways'],
  codes: ['MESH030', 'MESH031', 'MESH032', 'MESH033'],
  run: checkEastWestGateways,
});

function checkEastWestGateways(ctx: AnalysisContext): Finding[] {
  if (!ctx.multiNetwork) return [];
  const findings: Finding[] = [];
  for (const m of ctx.withData) {
    const c = ctxFlag(m.name);
    if (m.data.eastWestGateways.length === 0) {
      const network = networkFor(m);
      findings.push(
        makeFinding({
          code: 'MESH030',
          message: `The mesh spans several networks, and ${m.name} (network ${network}) has no east-west gateway: workloads on other networks cannot reach ${m.name}'s endpoints.`,
          clusters: [m.name],
          hint: `samples/multicluster/gen-eastwest-gateway.sh --network ${network} | istioctl install -y -f - ${c}; then kubectl apply -n istio-system -f samples/multicluster/expose-services.yaml ${c}. With Alauda Service Mesh, enable the eastwestGateways component (replicaCount ≥ 1) of the ServiceMesh.`,
        }),
      );
    }
    for (const gw of m.data.eastWestGateways) {
      // The same conditions as the overview's gateway health (eastWestGatewayHealth.ts).
      const problems = gatewayServingProblems(gw);
      const resource = gatewayResource(gw);
      const name = `${gw.namespace}/${gw.name}`;
      if (problems.includes('replicas')) {
        findings.push(replicasFinding(m.name, gw));
      }
      if (problems.includes('no-address')) {
        findings.push(
          makeFinding({
            code: 'MESH032',
            message: `East-west gateway Service ${name} in ${m.name}${
              gw.serviceType ? ` (type ${gw.serviceType})` : ''
            } has no external address: no LoadBalancer ingress and no externalIPs. istiod ignores it, so other networks get no route to ${
              m.name
            }'s endpoints.`,
            clusters: [m.name],
            resource,
            hint: `Give the Service an address reachable from the other networks: make a load balancer assign one (kubectl -n ${gw.namespace} get service ${gw.name} ${c} shows EXTERNAL-IP <pending>; install or fix the LoadBalancer controller, e.g. MetalLB), or set externalIPs: kubectl -n ${gw.namespace} patch service ${gw.name} ${c} -p '{"spec":{"externalIPs":["<reachable IP>"]}}'`,
          }),
        );
      }
      if (problems.includes('no-cross-network-port')) {
        findings.push(
          makeFinding({
            code: 'MESH033',
            message: `East-west gateway Service ${name} in ${
              m.name
            } does not expose port ${CROSS_NETWORK_PORT} (ports: ${
              gw.ports.map(p => p.port).join(', ') || 'none'
            }); istiod does not use it as the network gateway and cross-network mTLS has nowhere to arrive.`,
            clusters: [m.name],
            resource,
            hint: `kubectl -n ${gw.namespace} patch service ${gw.name} ${c} --type=json -p '[{"op":"add","path":"/spec/ports/-","value":{"name":"tls","port":15443,"targetPort":15443}}]'`,
          }),
        );
      }
    }
  }
  return findings;
}

/** MESH034: an Istio Gateway passes 15443 through (AUTO_PASSTHROUGH) for the east-west gateway's pods. */
export const crossNetworkGatewayCheck = defineCheck({
  name: 'crossNetworkGateway',
  inputs: ['eastWestGateways', 'gateways'],
  codes: ['MESH034'],
  run: checkCrossNetworkGateway,
});

function checkCrossNetworkGateway(ctx: AnalysisContext): Finding[] {
  if (!ctx.multiNetwork) return [];
  const findings: Finding[] = [];
  for (const m of ctx.withData) {
    const c = ctxFlag(m.name);
    const gws = m.data.eastWestGateways;
    const assessment = passthroughGateways(m.data);
    if (assessment.noPassthroughGateway) {
      const gw = gws[0];
      const mismatched = assessment.passthrough;
      findings.push(
        makeFinding({
          code: 'MESH034',
          message:
            mismatched.length > 0
              ? `In ${m.name}, Gateway ${mismatched[0].namespace}/${mismatched[0].name} passes 15443 through, but its selector matches no east-west gateway pod: cross-network connections are reset.`
              : `${m.name} has no Istio Gateway with tls AUTO_PASSTHROUGH on port 15443 for its east-west gateway: cross-network connections are reset.`,
          clusters: [m.name],
          hint: `kubectl apply -n ${gw.namespace} ${c} -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: cross-network-gateway
spec:
  selector: ${selectorSuggestion(gw)}
  servers:
  - port: {number: 15443, name: tls, protocol: TLS}
    tls: {mode: AUTO_PASSTHROUGH}
    hosts: ["*.local"]
EOF`,
        }),
      );
    }
  }
  return findings;
}

/** MESH035: the network is declared for the workloads and on the gateway, with one name. */
export const networkLabelsCheck = defineCheck({
  name: 'networkLabels',
  inputs: ['eastWestGateways', 'systemNamespaceNetwork', 'meshConfigs'],
  codes: ['MESH035'],
  run: checkNetworkLabels,
});

function checkNetworkLabels(ctx: AnalysisContext): Finding[] {
  if (!ctx.multiNetwork) return [];
  const findings: Finding[] = [];
  for (const m of ctx.withData) {
    const c = ctxFlag(m.name);
    const declared = workloadsNetwork(m.data);
    const gws = m.data.eastWestGateways;
    for (const gw of gws) {
      const problems = gatewayNetworkProblems(gw, declared);
      const resource = gatewayResource(gw);
      const name = `${gw.namespace}/${gw.name}`;
      const network = networkFor(m, gw);
      if (problems.includes('no-network-label')) {
        findings.push(
          makeFinding({
            code: 'MESH035',
            message: `East-west gateway Service ${name} in ${m.name} has no ${LABELS.network} label: istiod does not treat it as the gateway of any network.`,
            clusters: [m.name],
            resource,
            idParts: ['gateway'],
            hint: `kubectl -n ${gw.namespace} label service ${gw.name} ${LABELS.network}=${network} ${c}`,
          }),
        );
      } else if (declared && problems.includes('network-mismatch')) {
        findings.push(
          makeFinding({
            code: 'MESH035',
            message: `Network labels disagree in ${m.name}: ${declared.source} says ${declared.network}, east-west gateway ${name} says ${gw.network}. Workloads are placed on ${declared.network}, whose gateway istiod then cannot find.`,
            clusters: [m.name],
            resource,
            idParts: ['mismatch'],
            hint: `Use one network name for the cluster: kubectl label namespace istio-system ${LABELS.network}=${gw.network} --overwrite ${c} (and values.global.network), or relabel the gateway Service to ${declared.network}; then restart the workloads.`,
          }),
        );
      }
    }
    if (!declared) {
      const network = networkFor(
        m,
        gws.find(g => g.network),
      );
      findings.push(
        makeFinding({
          code: 'MESH035',
          message: `Namespace istio-system in ${m.name} has no ${LABELS.network} label: istiod cannot tell which network ${m.name}'s workloads are on, and sends raw pod IPs across networks.`,
          clusters: [m.name],
          resource: { kind: 'Namespace', name: 'istio-system' },
          hint: `kubectl label namespace istio-system ${LABELS.network}=${network} ${c}`,
        }),
      );
    }
  }
  return findings;
}

export const GATEWAY_CHECKS = [
  eastWestGatewaysCheck,
  crossNetworkGatewayCheck,
  networkLabelsCheck,
];
