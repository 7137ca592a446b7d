/*
 * Services of mesh namespaces with their endpoints reduced to ready/not-ready counts per locality, which is what
 * locality load balancing works on. Endpoints come from EndpointSlices; an endpoint is placed by its pod
 * (istio-locality label or node), else by its node, else by the slice's zone hint.
 */
import {
  EndpointGroup,
  Locality,
  MeshService,
  ServicePortInfo,
} from '@internal/plugin-service-mesh-common';
import {
  compact,
  isRecord,
  mapEach,
  MappingContext,
  MalformedError,
  optionalArray,
  optionalRecord,
  optionalString,
  stringMap,
} from './objects';
import { PodInfo } from './workloads';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** `spec.ports` of a Service; a non-array or a port without a number makes the Service malformed. */
export function readServicePorts(
  spec: Record<string, unknown>,
): ServicePortInfo[] {
  return optionalArray(spec.ports, 'spec.ports').map((port, i) => {
    if (!isRecord(port))
      throw new MalformedError(`spec.ports[${i}] is not an object`);
    if (typeof port.port !== 'number' || !Number.isInteger(port.port)) {
      throw new MalformedError(`spec.ports[${i}].port is not an integer`);
    }
    const targetPort = port.targetPort;
    return compact<ServicePortInfo>({
      name: optionalString(port.name, `spec.ports[${i}].name`),
      port: port.port,
      targetPort:
        typeof targetPort === 'number' || typeof targetPort === 'string'
          ? targetPort
          : undefined,
      protocol:
        optionalString(port.protocol, `spec.ports[${i}].protocol`) ?? 'TCP',
      appProtocol: optionalString(
        port.appProtocol,
        `spec.ports[${i}].appProtocol`,
      ),
    });
  });
}

interface SliceEndpoint {
  key: string;
  ready: boolean;
  locality: Locality;
}

/** Endpoints per `namespace/service`, deduplicated across slices (dual-stack services have one slice per family). */
export function mapEndpointSlices(
  items: unknown[],
  inNamespaces: Set<string>,
  podLocality: Map<string, Locality>,
  nodeLocality: Map<string, Locality>,
  ctx: MappingContext,
): Map<string, Map<string, SliceEndpoint>> {
  const byService = new Map<string, Map<string, SliceEndpoint>>();
  const relevant = items.filter(
    i =>
      isRecord(i) &&
      isRecord(i.metadata) &&
      inNamespaces.has(i.metadata.namespace as string),
  );
  mapEach(relevant, 'EndpointSlice', ctx, (obj, meta) => {
    const service = meta.labels[SERVICE_NAME_LABEL];
    if (!service) return undefined;
    const endpoints = optionalArray(obj.endpoints, 'endpoints').map((ep, i) => {
      if (!isRecord(ep))
        throw new MalformedError(`endpoints[${i}] is not an object`);
      const conditions =
        optionalRecord(ep.conditions, `endpoints[${i}].conditions`) ?? {};
      const addresses = optionalArray(
        ep.addresses,
        `endpoints[${i}].addresses`,
      );
      const targetRef = optionalRecord(
        ep.targetRef,
        `endpoints[${i}].targetRef`,
      );
      const nodeName = optionalString(ep.nodeName, `endpoints[${i}].nodeName`);
      const zone = optionalString(ep.zone, `endpoints[${i}].zone`);
      const podKey =
        targetRef?.kind === 'Pod' && typeof targetRef.name === 'string'
          ? `${(targetRef.namespace as string | undefined) ?? meta.namespace}/${
              targetRef.name
            }`
          : undefined;
      const locality =
        (podKey && podLocality.get(podKey)) ||
        (nodeName && nodeLocality.get(nodeName)) ||
        ({ region: '', zone: zone ?? '' } as Locality);
      return {
        key: podKey ?? nodeName ?? String(addresses[0] ?? `${meta.name}#${i}`),
        // Per the EndpointSlice API, an unknown (absent) ready condition means ready.
        ready: conditions.ready !== false,
        locality,
      };
    });
    const serviceKey = `${meta.namespace}/${service}`;
    const known = byService.get(serviceKey) ?? new Map<string, SliceEndpoint>();
    for (const ep of endpoints) if (!known.has(ep.key)) known.set(ep.key, ep);
    byService.set(serviceKey, known);
    return true;
  });
  return byService;
}

export function groupEndpoints(
  endpoints: Iterable<SliceEndpoint>,
): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const ep of endpoints) {
    const key = `${ep.locality.region}/${ep.locality.zone}/${
      ep.locality.subzone ?? ''
    }`;
    const group = groups.get(key) ?? {
      locality: ep.locality,
      ready: 0,
      notReady: 0,
    };
    if (ep.ready) group.ready++;
    else group.notReady++;
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.locality.region.localeCompare(b.locality.region) ||
      a.locality.zone.localeCompare(b.locality.zone),
  );
}

export function mapMeshServices(
  services: unknown[],
  endpointSlices: unknown[],
  pods: PodInfo[],
  nodeLocality: Map<string, Locality>,
  meshNamespaces: Set<string>,
  ctx: MappingContext,
): MeshService[] {
  const podLocality = new Map(
    pods.map(p => [`${p.namespace}/${p.name}`, p.locality]),
  );
  const endpoints = mapEndpointSlices(
    endpointSlices,
    meshNamespaces,
    podLocality,
    nodeLocality,
    ctx,
  );
  const relevant = services.filter(
    s =>
      isRecord(s) &&
      isRecord(s.metadata) &&
      meshNamespaces.has(s.metadata.namespace as string),
  );
  return mapEach(relevant, 'Service', ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec') ?? {};
    const eps = endpoints.get(`${meta.namespace}/${meta.name}`);
    return compact<MeshService>({
      namespace: meta.namespace ?? '',
      name: meta.name,
      labels: meta.labels,
      type: optionalString(spec.type, 'spec.type') ?? 'ClusterIP',
      selector: stringMap(spec.selector, 'spec.selector'),
      ports: readServicePorts(spec),
      headless: spec.clusterIP === 'None',
      endpoints: eps ? groupEndpoints(eps.values()) : [],
    });
  });
}
