/*
 * Which network istiod puts a cluster's workloads on, and the MESH035 findings when it cannot tell or the gateway
 * says otherwise. istiod takes an endpoint's network from the pod label topology.istio.io/network (the injector
 * sets it from values.global.network, seen here as the mesh config's ISTIO_META_NETWORK), else from meshNetworks,
 * else from the istio-system namespace label (pilot/pkg/serviceregistry/kube/controller/network.go
 * setNetworkFromNamespace). An endpoint without a network is on "every" network: model.Proxy.InNetwork
 * (identifier.IsSameOrEmpty) sends it directly, so from another network its pod IP is dialled and fails.
 */
import { LABELS } from '../../constants';
import type { EastWestGateway } from '../../types/snapshot';
import type { MemberData } from '../context';
import type { FindingInput } from '../finding';
import { type NetworkDeclaration, workloadsNetwork } from '../network';

export type DeclaredNetwork = NetworkDeclaration;

/** The network istiod assigns to the cluster's workloads, and where it is declared (one precedence: ../network). */
export function declaredNetwork(m: MemberData): DeclaredNetwork | undefined {
  return workloadsNetwork(m.data);
}

/** The name to suggest in hints: the cluster's network, else a gateway's, else a placeholder. */
export function networkFor(m: MemberData, gw?: EastWestGateway): string {
  return m.network ?? gw?.network ?? '<network>';
}

/** MESH035: istio-system carries no network label (nor the mesh config a network). */
export function missingNetworkFinding(m: MemberData): FindingInput {
  const network = networkFor(
    m,
    m.data.eastWestGateways.find(g => g.network),
  );
  return {
    code: 'MESH035',
    message: `Namespace istio-system in ${m.name} has no ${LABELS.network} label: istiod cannot tell which network ${m.name}'s workloads are on, and sends raw pod IPs across networks.`,
    clusters: [m.name],
    resource: { kind: 'Namespace', name: 'istio-system' },
    hint: `kubectl label namespace istio-system ${LABELS.network}=${network} --context=${m.name}`,
  };
}

/** MESH035: the gateway Service is labelled for another network than the cluster's workloads. */
export function networkMismatchFinding(
  m: MemberData,
  gw: EastWestGateway,
  declared: DeclaredNetwork,
): FindingInput {
  const name = `${gw.namespace}/${gw.name}`;
  return {
    code: 'MESH035',
    message: `Network labels disagree in ${m.name}: ${declared.source} says ${declared.network}, east-west gateway ${name} says ${gw.network}. Workloads are placed on ${declared.network}, whose gateway istiod then cannot find.`,
    clusters: [m.name],
    resource: { kind: 'Service', namespace: gw.namespace, name: gw.name },
    idParts: ['mismatch'],
    hint: `Use one network name for the cluster: kubectl label namespace istio-system ${LABELS.network}=${gw.network} --overwrite --context=${m.name} (and values.global.network), or relabel the gateway Service to ${declared.network}; then restart the workloads.`,
  };
}
