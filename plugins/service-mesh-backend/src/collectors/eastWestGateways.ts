/*
 * East-west gateways: Services labelled `topology.istio.io/network` (that label is how istiod finds a network's
 * gateway), with the Deployment their selector matches. istiod only uses a gateway with an external address
 * (LoadBalancer ingress or externalIPs) and port 15443, so both are kept for the analysis.
 */
import {
  EastWestGateway,
  LABELS,
  serviceSelectorSelects,
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

export function mapEastWestGateways(
  services: unknown[],
  deployments: unknown[],
  ctx: MappingContext,
): EastWestGateway[] {
  const gatewayServices = services.filter(
    s =>
      isRecord(s) &&
      isRecord(s.metadata) &&
      isRecord(s.metadata.labels) &&
      LABELS.network in s.metadata.labels,
  );
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
    const addresses = [
      ...optionalArray(
        loadBalancer.ingress,
        'status.loadBalancer.ingress',
      ).flatMap(ingress => {
        if (!isRecord(ingress)) return [];
        const address = ingress.ip ?? ingress.hostname;
        return typeof address === 'string' && address ? [address] : [];
      }),
      ...optionalArray(spec.externalIPs, 'spec.externalIPs').filter(
        (ip): ip is string => typeof ip === 'string' && ip !== '',
      ),
    ];
    const deployment = candidates.find(
      d =>
        d.namespace === meta.namespace &&
        serviceSelectorSelects(selector, d.templateLabels),
    );
    return compact<EastWestGateway>({
      namespace: meta.namespace ?? '',
      name: meta.name,
      deployment: deployment?.name,
      network: meta.labels[LABELS.network] || undefined,
      serviceType: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
      addresses: [...new Set(addresses)],
      ports: readServicePorts(spec),
      desiredReplicas: deployment?.desired ?? 0,
      readyReplicas: deployment?.ready ?? 0,
      podLabels: deployment?.templateLabels ?? selector,
    });
  });
}
