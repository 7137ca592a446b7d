/*
 * How istiod turns one east-west gateway Service into network gateways (address + port), the one rule that the
 * gateway checks (MESH031–035), the dashboard's gateway health and the reachability model share. Istio's source
 * (istio/istio master, 2026-08):
 * - pilot/pkg/serviceregistry/kube/controller/network.go getGatewayDetails: a Service labelled
 *   topology.istio.io/network (non-empty) is a gateway of that network; its mTLS port is the Service label
 *   networking.istio.io/gatewayPort (unparsable: a warning and 15443), and the Service must have that port (or the
 *   HBONE port 15008, which sidecars cannot use: ep_filters.go selectNetworkGateways skips gateways without an
 *   mTLS port), else it is no gateway. Without the label, a meshNetworks `registryServiceName` entry can name it.
 * - pilot/pkg/serviceregistry/kube/conversion.go ConvertService: its addresses are, for type LoadBalancer,
 *   `status.loadBalancer.ingress` (the IP, else the hostname), and for any type `spec.externalIPs`; a NodePort
 *   Service with the annotation traffic.istio.io/nodeSelector maps each port to its node port.
 * - controller.go onNodeEvent and network.go updateServiceNodePortAddresses: such a NodePort gateway (with no
 *   externalIPs) gets the addresses of the nodes whose labels include the selector (util.go
 *   getNodeSelectorsForService: JSON; unparsable or empty selects every node), each node's first ExternalIP.
 *   Nodes without an ExternalIP are skipped: there is no InternalIP fallback.
 * - network.go extractGatewaysInner: one gateway per address, on the node port when one is mapped.
 * - pilot/pkg/model/network.go resolveHostnameGateways: hostname addresses are resolved by istiod when
 *   RESOLVE_HOSTNAME_GATEWAYS is true (the default, pilot/pkg/features/pilot.go), else dropped.
 * - pilot/pkg/model/gateway.go resolvePorts: a Gateway server port that is a Service port listens on its
 *   targetPort, any other port is bound as it is; so the AUTO_PASSTHROUGH server must be on the gateway port or
 *   on its target port.
 */
import { CROSS_NETWORK_PORT } from '../../constants';
import type {
  ClusterMeshData,
  EastWestGateway,
  IstioGatewayResource,
  ServicePortInfo,
} from '../../types/snapshot';
import { matchLabelsSubsetOf } from '../../labels/labelSelector';
import type { FindingInput } from '../finding';

export const NODE_SELECTOR_ANNOTATION = 'traffic.istio.io/nodeSelector';
export const GATEWAY_PORT_LABEL = 'networking.istio.io/gatewayPort';
/** istiod's DefaultNetworkGatewayHBONEPort: the ambient (double-HBONE) port, useless to sidecars. */
export const HBONE_PORT = 15008;

export interface GatewayAddress {
  address: string;
  kind: 'ip' | 'hostname';
  source: 'loadBalancer' | 'externalIP' | 'node';
  /** For `node`: the node whose ExternalIP it is. */
  node?: string;
}

/** What istiod makes of one east-west gateway Service of one cluster. */
export interface GatewayExposure {
  cluster: string;
  gateway: EastWestGateway;
  /** The network it is a gateway of (its label), when it has one. */
  network?: string;
  /** The Service port for cross-network mTLS: the gatewayPort label, else 15443. */
  mtlsPort: number;
  /** The Service has that port (else istiod does not use it for sidecars). */
  exposesMtlsPort: boolean;
  /** The port other networks connect to: the node port of a NodePort gateway, else `mtlsPort`. */
  publishedPort: number;
  /** Every address istiod would publish (hostnames are dropped later by an istiod that does not resolve them). */
  addresses: GatewayAddress[];
  /** istiod registers it as a network gateway: a network, the mTLS port and at least one address. */
  published: boolean;
  /** A NodePort gateway whose nodes could not be read: its addresses are unknown (assumed present). */
  addressesUnknown?: boolean;
  /** At least one ready replica. */
  ready: boolean;
  /** Why it is not published, each as the finding that reports it (MESH032, MESH033, MESH035). */
  unpublishedBecause: FindingInput[];
  /** Notes for the UI (e.g. a node without ExternalIP, an unparsable gatewayPort label). */
  notes: string[];
}

/** `traffic.istio.io/nodeSelector` as istiod reads it: JSON of strings; anything else selects every node. */
export function parseNodeSelectorAnnotation(
  value: string,
): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      Array.isArray(parsed) ||
      Object.values(parsed).some(v => typeof v !== 'string')
    ) {
      return {};
    }
    return parsed as Record<string, string>;
  } catch {
    return {};
  }
}

/** labels.Instance.SubsetOf: every selector label present with the same value (empty selects all). */
export function nodeSelected(
  selector: Record<string, string>,
  nodeLabels: Record<string, string>,
): boolean {
  return matchLabelsSubsetOf(selector, nodeLabels);
}

/** net.ParseIP, for IPv4 and IPv6 literals. */
export function isIpAddress(value: string): boolean {
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(value)) {
    return value.split('.').every(p => Number(p) <= 255);
  }
  return value.includes(':') && /^[0-9A-Fa-f:.]+$/.test(value);
}

function gatewayPortOf(gw: EastWestGateway): {
  port: number;
  note?: string;
} {
  const label = gw.gatewayPortLabel;
  if (label === undefined || label === '') return { port: CROSS_NETWORK_PORT };
  // strconv.Atoi: an optional sign and decimal digits only.
  if (/^[+-]?\d+$/.test(label.trim()) && label.trim() === label) {
    return { port: Number(label) };
  }
  return {
    port: CROSS_NETWORK_PORT,
    note: `Label ${GATEWAY_PORT_LABEL}="${label}" is not a number; istiod falls back to ${CROSS_NETWORK_PORT}.`,
  };
}

function servicePort(
  gw: EastWestGateway,
  port: number,
): ServicePortInfo | undefined {
  return gw.ports.find(p => p.port === port);
}

function isNodePortGateway(gw: EastWestGateway): boolean {
  return gw.serviceType === 'NodePort' && gw.nodeSelector !== undefined;
}

function addressesOf(gw: EastWestGateway, notes: string[]): GatewayAddress[] {
  const kind = (a: string): GatewayAddress['kind'] =>
    isIpAddress(a) ? 'ip' : 'hostname';
  // Older snapshots do not say which addresses are externalIPs: take them all, as the collector did.
  const externalIPs = gw.externalIPs ?? [];
  const fromLoadBalancer = gw.externalIPs
    ? gw.addresses.filter(a => !externalIPs.includes(a))
    : gw.addresses;
  const out: GatewayAddress[] = [];
  if (gw.serviceType === 'LoadBalancer' || gw.externalIPs === undefined) {
    for (const a of fromLoadBalancer)
      out.push({ address: a, kind: kind(a), source: 'loadBalancer' });
  }
  for (const a of externalIPs)
    out.push({ address: a, kind: kind(a), source: 'externalIP' });
  // addOrUpdateService: external addresses win; node addresses only for a NodePort gateway without them.
  if (out.length === 0 && isNodePortGateway(gw)) {
    for (const node of gw.selectedNodes ?? []) {
      if (node.externalIP) {
        out.push({
          address: node.externalIP,
          kind: kind(node.externalIP),
          source: 'node',
          node: node.name,
        });
      } else {
        notes.push(
          `Node ${
            node.name
          } is selected by ${NODE_SELECTOR_ANNOTATION} but has no ExternalIP${
            node.internalIP ? ` (only InternalIP ${node.internalIP})` : ''
          }: istiod publishes only ExternalIP addresses of nodes.`,
        );
      }
    }
  }
  const seen = new Set<string>();
  return out.filter(a => !seen.has(a.address) && seen.add(a.address));
}

/**
 * An Istio Gateway with tls AUTO_PASSTHROUGH on the gateway's mTLS port selects its pods (resolvePorts: the
 * server port is the Service port, listening on its target port, or the target port itself).
 */
export function passthroughOf(
  exposure: GatewayExposure,
  gateways: IstioGatewayResource[],
): boolean {
  const { gateway: gw, mtlsPort } = exposure;
  const target = servicePort(gw, mtlsPort)?.targetPort;
  const ports = new Set([mtlsPort]);
  if (typeof target === 'number') ports.add(target);
  return gateways.some(
    g =>
      g.servers.some(
        s =>
          ports.has(s.port) &&
          (s.tlsMode ?? '').toUpperCase() === 'AUTO_PASSTHROUGH',
      ) &&
      // Without pod labels in the snapshot the selector cannot be verified; give it the benefit of the doubt.
      (Object.keys(gw.podLabels).length === 0 ||
        matchLabelsSubsetOf(g.selector, gw.podLabels)),
  );
}

function ctx(cluster: string): string {
  return `--context=${cluster}`;
}

function resourceOf(gw: EastWestGateway) {
  return { kind: 'Service', namespace: gw.namespace, name: gw.name };
}

/** MESH032: no address istiod can publish. */
function noAddressFinding(
  cluster: string,
  gw: EastWestGateway,
  notes: string[],
): FindingInput {
  const name = `${gw.namespace}/${gw.name}`;
  const c = ctx(cluster);
  if (gw.serviceType === 'NodePort') {
    const selector = gw.nodeSelector;
    let why = `none of the nodes its ${NODE_SELECTOR_ANNOTATION} selects has an ExternalIP (istiod publishes only node ExternalIPs)`;
    if (selector === undefined)
      why = `it has no ${NODE_SELECTOR_ANNOTATION} annotation, so istiod publishes no node address for it`;
    else if ((gw.selectedNodes ?? []).length === 0)
      why = `its ${NODE_SELECTOR_ANNOTATION} ${JSON.stringify(
        selector,
      )} selects no node`;
    return {
      code: 'MESH032',
      message: `East-west gateway Service ${name} in ${cluster} (type NodePort) has no external address: ${why}. istiod ignores it, so other networks get no route to ${cluster}'s endpoints.`,
      clusters: [cluster],
      resource: resourceOf(gw),
      hint:
        selector === undefined
          ? `Tell istiod which nodes to publish: kubectl -n ${gw.namespace} annotate service ${gw.name} ${NODE_SELECTOR_ANNOTATION}='{"kubernetes.io/hostname":"<node>"}' ${c} (nodes with an ExternalIP reachable from the other networks), or set externalIPs.`
          : `Select nodes that have an ExternalIP reachable from the other networks (kubectl get nodes -o wide ${c}), or set externalIPs: kubectl -n ${
              gw.namespace
            } patch service ${
              gw.name
            } ${c} -p '{"spec":{"externalIPs":["<reachable IP>"]}}'${
              notes.length ? ` (${notes.join(' ')})` : ''
            }`,
    };
  }
  return {
    code: 'MESH032',
    message: `East-west gateway Service ${name} in ${cluster}${
      gw.serviceType ? ` (type ${gw.serviceType})` : ''
    } has no external address: no LoadBalancer ingress and no externalIPs. istiod ignores it, so other networks get no route to ${cluster}'s endpoints.`,
    clusters: [cluster],
    resource: resourceOf(gw),
    hint: `Give the Service an address reachable from the other networks: make a load balancer assign one (kubectl -n ${gw.namespace} get service ${gw.name} ${c} shows EXTERNAL-IP <pending>; install or fix the LoadBalancer controller, e.g. MetalLB), or set externalIPs: kubectl -n ${gw.namespace} patch service ${gw.name} ${c} -p '{"spec":{"externalIPs":["<reachable IP>"]}}', or use a NodePort Service with the ${NODE_SELECTOR_ANNOTATION} annotation.`,
  };
}

function noPortFinding(
  cluster: string,
  gw: EastWestGateway,
  mtlsPort: number,
): FindingInput {
  const name = `${gw.namespace}/${gw.name}`;
  const overridden = mtlsPort !== CROSS_NETWORK_PORT;
  return {
    code: 'MESH033',
    message: `East-west gateway Service ${name} in ${cluster} does not expose port ${mtlsPort}${
      overridden ? ` (its ${GATEWAY_PORT_LABEL} label)` : ''
    } (ports: ${
      gw.ports.map(p => p.port).join(', ') || 'none'
    }); istiod does not use it as the network gateway and cross-network mTLS has nowhere to arrive.`,
    clusters: [cluster],
    resource: resourceOf(gw),
    hint: overridden
      ? `Expose the port the label names, or fix the label: kubectl -n ${
          gw.namespace
        } label service ${
          gw.name
        } ${GATEWAY_PORT_LABEL}=<the tls port> --overwrite ${ctx(cluster)}`
      : `kubectl -n ${gw.namespace} patch service ${gw.name} ${ctx(
          cluster,
        )} --type=json -p '[{"op":"add","path":"/spec/ports/-","value":{"name":"tls","port":15443,"targetPort":15443}}]'`,
  };
}

/**
 * Each east-west gateway Service of one cluster as istiod sees it (`registry`: the Services meshNetworks names as
 * gateways of this cluster, by `namespace/name`). Reads `eastWestGateways` only.
 */
export function exposeGateways(
  cluster: string,
  data: Pick<ClusterMeshData, 'eastWestGateways'>,
  options: {
    registry?: ReadonlyMap<string, { network: string; port: number }>;
    /** The cluster's network, for hints. */
    network?: string;
  } = {},
): GatewayExposure[] {
  const registry = options.registry ?? new Map();
  return data.eastWestGateways.map(labelled => {
    const notes: string[] = [];
    // A meshNetworks registryServiceName gateway: the network and port come from meshNetworks, and istiod does
    // not check that the Service has the port. The network label, when present, wins (getGatewayDetails).
    const named = labelled.network
      ? undefined
      : registry.get(`${labelled.namespace}/${labelled.name}`);
    const gw = named ? { ...labelled, network: named.network } : labelled;
    const { port: mtlsPort, note } = named
      ? { port: named.port, note: undefined }
      : gatewayPortOf(gw);
    if (note) notes.push(note);
    if (named)
      notes.push(
        `Gateway of ${named.network} by meshNetworks registryServiceName, port ${named.port}.`,
      );
    const exposesMtlsPort =
      named !== undefined || servicePort(gw, mtlsPort) !== undefined;
    const nodePort = isNodePortGateway(gw)
      ? servicePort(gw, mtlsPort)?.nodePort
      : undefined;
    const addresses = addressesOf(gw, notes);
    const addressesUnknown =
      addresses.length === 0 &&
      isNodePortGateway(gw) &&
      gw.selectedNodes === undefined;
    if (addressesUnknown)
      notes.push(
        'The nodes this NodePort gateway selects could not be read: its addresses are unknown.',
      );
    const unpublishedBecause: FindingInput[] = [];
    if (!gw.network) {
      unpublishedBecause.push({
        code: 'MESH035',
        message: `East-west gateway Service ${gw.namespace}/${gw.name} in ${cluster} has no topology.istio.io/network label: istiod does not treat it as the gateway of any network.`,
        clusters: [cluster],
        resource: resourceOf(gw),
        idParts: ['gateway'],
        hint: `kubectl -n ${gw.namespace} label service ${
          gw.name
        } topology.istio.io/network=${options.network ?? '<network>'} ${ctx(
          cluster,
        )}`,
      });
    }
    if (addresses.length === 0 && !addressesUnknown)
      unpublishedBecause.push(noAddressFinding(cluster, gw, notes));
    if (!exposesMtlsPort)
      unpublishedBecause.push(noPortFinding(cluster, gw, mtlsPort));
    return {
      cluster,
      gateway: gw,
      ...(gw.network ? { network: gw.network } : {}),
      mtlsPort,
      exposesMtlsPort,
      publishedPort: nodePort ?? mtlsPort,
      addresses,
      published: unpublishedBecause.length === 0,
      ...(addressesUnknown ? { addressesUnknown } : {}),
      ready: gw.readyReplicas > 0 && gw.desiredReplicas > 0,
      unpublishedBecause,
      notes,
    };
  });
}

/** Addresses an istiod keeps: hostnames only when it resolves them (RESOLVE_HOSTNAME_GATEWAYS, default true). */
export function addressesUsedBy(
  exposure: GatewayExposure,
  resolvesHostnames: boolean,
): GatewayAddress[] {
  return resolvesHostnames
    ? exposure.addresses
    : exposure.addresses.filter(a => a.kind === 'ip');
}

/** Whether the istiod(s) of a cluster resolve hostname gateway addresses: false when any revision turns it off. */
export function resolvesHostnameGateways(data: ClusterMeshData): boolean {
  return !data.controlPlanes.some(cp => cp.resolveHostnameGateways === false);
}
