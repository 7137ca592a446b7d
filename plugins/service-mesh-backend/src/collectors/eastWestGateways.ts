/*
 * East-west gateways: Services labelled `topology.istio.io/network` (that label is how istiod finds a network's
 * gateway) or named by a meshNetworks `registryServiceName`, with the Deployment their selector matches. What
 * istiod needs to publish them is kept as read (LoadBalancer ingress, externalIPs, ports with node ports, the
 * traffic.istio.io/nodeSelector annotation, the networking.istio.io/gatewayPort label); which of it counts is
 * decided in -common (analysis/reachability/gatewayExposure.ts), where the Istio rule lives.
 */
import {
  EastWestGateway,
  GATEWAY_PORT_LABEL,
  GatewayNode,
  LABELS,
  serviceSelectorSelects,
  MeshConfigInfo,
  NODE_SELECTOR_ANNOTATION,
  nodeSelected,
  parseNodeSelectorAnnotation,
  compareStrings,
} from '@internal/plugin-service-mesh-common';
import {
  compact,
  isRecord,
  mapEach,
  MappingContext,
  optionalArray,
  optionalCount,
  optionalRecord,
  stringMap,
} from './objects';
import { readServicePorts } from './services';

interface DeploymentInfo {
  namespace: string;
  name: string;
  templateLabels: Record<string, string>;
  desired: number;
  ready: number;
}

/** `namespace/name` of the Services a meshNetworks `registryServiceName` names (FQDN `name.namespace.svc.…`). */
export function registryServiceNames(
  meshConfigs: MeshConfigInfo[],
): Set<string> {
  const names = new Set<string>();
  for (const mc of meshConfigs)
    for (const n of mc.meshNetworks?.networks ?? [])
      for (const g of n.gateways) {
        const [name, namespace] = (g.registryServiceName ?? '').split('.');
        if (name && namespace) names.add(`${namespace}/${name}`);
      }
  return names;
}

function isGatewayService(s: unknown, named: Set<string>): boolean {
  if (!isRecord(s) || !isRecord(s.metadata)) return false;
  const { labels, name, namespace } = s.metadata;
  if (isRecord(labels) && LABELS.network in labels) return true;
  return named.has(`${namespace}/${name}`);
}

/** A Service labelled topology.istio.io/network (a meshNetworks-named one has no node selector to read nodes for). */
export function isGatewayServiceLabelled(s: unknown): boolean {
  return isGatewayService(s, new Set());
}

/** The node selector of a NodePort gateway with the traffic.istio.io/nodeSelector annotation. */
export function gatewayNodeSelector(
  service: unknown,
): Record<string, string> | undefined {
  if (!isRecord(service) || !isRecord(service.spec)) return undefined;
  if (service.spec.type !== 'NodePort') return undefined;
  const annotations = isRecord(service.metadata)
    ? service.metadata.annotations
    : undefined;
  const value = isRecord(annotations)
    ? annotations[NODE_SELECTOR_ANNOTATION]
    : undefined;
  return typeof value === 'string'
    ? parseNodeSelectorAnnotation(value)
    : undefined;
}

export function mapEastWestGateways(
  services: unknown[],
  deployments: unknown[],
  ctx: MappingContext,
  options: {
    meshConfigs?: MeshConfigInfo[];
    /** Nodes with their addresses, for NodePort gateways with a node selector (see listGatewayNodes). */
    nodes?: GatewayNodeInfo[];
  } = {},
): EastWestGateway[] {
  const named = registryServiceNames(options.meshConfigs ?? []);
  const gatewayServices = services.filter(s => isGatewayService(s, named));
  if (gatewayServices.length === 0) return [];
  const candidates = mapEach(
    deployments,
    'Deployment',
    ctx,
    (obj, meta): DeploymentInfo => {
      const spec = optionalRecord(obj.spec, 'spec') ?? {};
      const template = optionalRecord(spec.template, 'spec.template') ?? {};
      const templateMeta =
        optionalRecord(template.metadata, 'spec.template.metadata') ?? {};
      const status = optionalRecord(obj.status, 'status') ?? {};
      return {
        namespace: meta.namespace ?? '',
        name: meta.name,
        templateLabels: stringMap(
          templateMeta.labels,
          'spec.template.metadata.labels',
        ),
        desired: optionalCount(spec.replicas, 'spec.replicas', 1),
        ready: optionalCount(status.readyReplicas, 'status.readyReplicas', 0),
      };
    },
  );

  return mapEach(gatewayServices, 'Service', ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec') ?? {};
    const status = optionalRecord(obj.status, 'status') ?? {};
    const loadBalancer =
      optionalRecord(status.loadBalancer, 'status.loadBalancer') ?? {};
    const selector = stringMap(spec.selector, 'spec.selector');
    const externalIPs = optionalArray(
      spec.externalIPs,
      'spec.externalIPs',
    ).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
    const addresses = [
      // ConvertService: the ingress IP, else its hostname.
      ...optionalArray(
        loadBalancer.ingress,
        'status.loadBalancer.ingress',
      ).flatMap(ingress => {
        if (!isRecord(ingress)) return [];
        const address = ingress.ip || ingress.hostname;
        return typeof address === 'string' && address ? [address] : [];
      }),
      ...externalIPs,
    ];
    const deployment = candidates.find(
      d =>
        d.namespace === meta.namespace &&
        serviceSelectorSelects(selector, d.templateLabels),
    );
    const nodeSelector = gatewayNodeSelector(obj);
    const portLabel = meta.labels[GATEWAY_PORT_LABEL];
    return compact<EastWestGateway>({
      namespace: meta.namespace ?? '',
      name: meta.name,
      deployment: deployment?.name,
      network: meta.labels[LABELS.network] || undefined,
      serviceType: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
      addresses: [...new Set(addresses)],
      externalIPs: [...new Set(externalIPs)],
      nodeSelector,
      // Unknown (not empty) when the nodes could not be read.
      selectedNodes:
        nodeSelector && options.nodes
          ? selectedNodes(options.nodes, nodeSelector)
          : undefined,
      gatewayPortLabel: portLabel !== undefined ? portLabel : undefined,
      ports: withNodePorts(spec),
      desiredReplicas: deployment?.desired ?? 0,
      readyReplicas: deployment?.ready ?? 0,
      podLabels: deployment?.templateLabels ?? selector,
    });
  });
}

/** A node as the gateway node list reads it: labels and the addresses istiod looks at. */
export interface GatewayNodeInfo extends GatewayNode {
  labels: Record<string, string>;
}

/** Nodes (full objects) reduced to their labels and first ExternalIP/InternalIP. */
export function mapGatewayNodes(
  items: unknown[],
  ctx: MappingContext,
): GatewayNodeInfo[] {
  return mapEach(items, 'Node', ctx, (obj, meta) => {
    const status = optionalRecord(obj.status, 'status') ?? {};
    const addresses = optionalArray(
      status.addresses,
      'status.addresses',
    ).filter(isRecord);
    const first = (type: string) => {
      const a = addresses.find(
        x => x.type === type && typeof x.address === 'string' && x.address,
      );
      return a ? (a.address as string) : undefined;
    };
    return compact<GatewayNodeInfo>({
      name: meta.name,
      labels: meta.labels,
      externalIP: first('ExternalIP'),
      internalIP: first('InternalIP'),
    });
  });
}

function selectedNodes(
  nodes: GatewayNodeInfo[],
  selector: Record<string, string>,
): GatewayNode[] {
  return nodes
    .filter(n => nodeSelected(selector, n.labels))
    .map(({ labels: _labels, ...node }) => node)
    .sort((a, b) => compareStrings(a.name, b.name));
}

/** Service ports with their node ports (gateways only: node ports differ per cluster, so mesh Services omit them). */
function withNodePorts(spec: Record<string, unknown>) {
  const raw = optionalArray(spec.ports, 'spec.ports');
  return readServicePorts(spec).map((p, i) => {
    const r = raw[i];
    const nodePort = isRecord(r) ? r.nodePort : undefined;
    return typeof nodePort === 'number' && Number.isInteger(nodePort)
      ? { ...p, nodePort }
      : p;
  });
}
