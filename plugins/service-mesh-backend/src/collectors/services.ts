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
  TRAFFIC_DISTRIBUTION_ANNOTATION,
  compareStrings,
} from '@internal/plugin-service-mesh-common';
import { lookupShared, share } from './intern';
import {
  compact,
  isRecord,
  MalformedObject,
  mapEach,
  MappingContext,
  MalformedError,
  ObjectMeta,
  optionalArray,
  optionalRecord,
  optionalString,
  readMeta,
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

/** An endpoint as read from its slice, before pods and nodes are known. */
interface PendingEndpoint {
  ready: boolean;
  podNamespace?: string;
  podName?: string;
  nodeName?: string;
  zone?: string;
}

/**
 * EndpointSlices reduced as they stream in: per `namespace/service`, its endpoints deduplicated across slices
 * (dual-stack services have one slice per family), each reduced to readiness and what places it. Slices outside
 * the mesh namespaces are dropped at `groups`, and so are their malformed-object records.
 */
export class EndpointSliceAggregator {
  /** namespace → service → endpoint key → endpoint */
  readonly #byNamespace = new Map<
    string,
    Map<string, Map<string, PendingEndpoint>>
  >();
  readonly #malformed: Array<{
    namespace: string;
    entry: MalformedObject;
  }> = [];

  add(items: unknown[]): void {
    for (const item of items) {
      if (
        !isRecord(item) ||
        !isRecord(item.metadata) ||
        typeof item.metadata.namespace !== 'string'
      )
        continue;
      const namespace = item.metadata.namespace;
      try {
        this.#addSlice(item, readMeta(item));
      } catch (error) {
        this.#malformed.push({
          namespace,
          entry: {
            kind: 'EndpointSlice',
            namespace,
            ...(typeof item.metadata.name === 'string'
              ? { name: item.metadata.name }
              : {}),
            reason: error instanceof Error ? error.message : String(error),
          },
        });
      }
    }
  }

  #addSlice(obj: Record<string, unknown>, meta: ObjectMeta): void {
    const service = meta.labels[SERVICE_NAME_LABEL];
    if (!service) return;
    const namespace = meta.namespace!;
    // Validate the whole slice before keeping any of it, as a malformed slice is skipped whole.
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
      const isPod =
        targetRef?.kind === 'Pod' && typeof targetRef.name === 'string';
      const podNamespace = isPod
        ? (targetRef!.namespace as string | undefined) ?? namespace
        : undefined;
      const podName = isPod ? (targetRef!.name as string) : undefined;
      const key = isPod
        ? `${podNamespace}/${podName}`
        : nodeName ?? String(addresses[0] ?? `${meta.name}#${i}`);
      // Per the EndpointSlice API, an unknown (absent) ready condition means ready.
      const pending: PendingEndpoint = { ready: conditions.ready !== false };
      if (isPod) {
        pending.podNamespace = podNamespace;
        pending.podName = podName;
      }
      if (nodeName) pending.nodeName = nodeName;
      if (zone !== undefined) pending.zone = zone;
      return [key, pending] as const;
    });
    let services = this.#byNamespace.get(namespace);
    if (!services) {
      services = new Map();
      this.#byNamespace.set(namespace, services);
    }
    let known = services.get(service);
    if (!known) {
      known = new Map();
      services.set(service, known);
    }
    for (const [key, ep] of endpoints) if (!known.has(key)) known.set(key, ep);
  }

  /**
   * Endpoint groups per `namespace/service` of the mesh namespaces; an endpoint is placed by its pod (when the pod
   * is known), else by its node, else by the slice's zone hint.
   */
  groups(
    inNamespaces: Set<string>,
    podLocality: (namespace: string, name: string) => Locality | undefined,
    nodeLocality: Map<string, Locality>,
    ctx: MappingContext,
  ): Map<string, EndpointGroup[]> {
    for (const { namespace, entry } of this.#malformed) {
      if (inNamespaces.has(namespace)) ctx.record(entry);
    }
    const out = new Map<string, EndpointGroup[]>();
    for (const [namespace, services] of this.#byNamespace) {
      if (!inNamespaces.has(namespace)) continue;
      for (const [service, endpoints] of services) {
        const located: SliceEndpoint[] = [];
        for (const [key, ep] of endpoints) {
          const locality =
            (ep.podName !== undefined &&
              podLocality(ep.podNamespace!, ep.podName)) ||
            (ep.nodeName && nodeLocality.get(ep.nodeName)) ||
            ({ region: '', zone: ep.zone ?? '' } as Locality);
          located.push({ key, ready: ep.ready, locality });
        }
        out.set(`${namespace}/${service}`, groupEndpoints(located));
      }
    }
    return out;
  }
}

/** Endpoints per `namespace/service`, deduplicated across slices (dual-stack services have one slice per family). */
export function mapEndpointSlices(
  items: unknown[],
  inNamespaces: Set<string>,
  podLocality: Map<string, Locality>,
  nodeLocality: Map<string, Locality>,
  ctx: MappingContext,
): Map<string, EndpointGroup[]> {
  const aggregator = new EndpointSliceAggregator();
  aggregator.add(items);
  return aggregator.groups(
    inNamespaces,
    (namespace, name) => podLocality.get(`${namespace}/${name}`),
    nodeLocality,
    ctx,
  );
}

export function groupEndpoints(
  endpoints: Iterable<SliceEndpoint>,
): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const ep of endpoints) {
    const key = `${ep.locality.region}/${ep.locality.zone}/${
      ep.locality.subzone ?? ''
    }`;
    let group = groups.get(key);
    if (!group) {
      group = { locality: ep.locality, ready: 0, notReady: 0 };
      groups.set(key, group);
    }
    if (ep.ready) group.ready++;
    else group.notReady++;
  }
  return [...groups.values()].sort(
    (a, b) =>
      compareStrings(a.locality.region, b.locality.region) ||
      compareStrings(a.locality.zone, b.locality.zone),
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
  return buildMeshServices(services, endpoints, meshNamespaces, ctx);
}

/**
 * The Services of the mesh namespaces with their endpoint groups. Labels, selectors and ports are shared with the
 * equal ones of other clusters (every member carries the same Services), and so is a whole Service without
 * endpoints here.
 */
export function buildMeshServices(
  services: unknown[],
  endpoints: Map<string, EndpointGroup[]>,
  meshNamespaces: Set<string>,
  ctx: MappingContext,
): MeshService[] {
  const relevant = services.filter(
    s =>
      isRecord(s) &&
      isRecord(s.metadata) &&
      meshNamespaces.has(s.metadata.namespace as string),
  );
  return mapEach(relevant, 'Service', ctx, (obj, meta) => {
    const spec = optionalRecord(obj.spec, 'spec') ?? {};
    const namespace = ctx.strings.get(meta.namespace ?? '');
    const eps = endpoints.get(`${namespace}/${meta.name}`) ?? [];
    const type = optionalString(spec.type, 'spec.type') ?? 'ClusterIP';
    const selector = stringMap(spec.selector, 'spec.selector');
    // Keys are built from the parts' JSON once; equal raw ports map to equal ports, so they are read once.
    const portsKey = `P${JSON.stringify(spec.ports ?? null)}`;
    const labelsKey = `M${JSON.stringify(meta.labels)}`;
    const selectorKey = `M${JSON.stringify(selector)}`;
    const headless = spec.clusterIP === 'None';
    // Locality routing with no DestinationRule (pilot/pkg/model/service.go GetTrafficDistribution).
    const trafficDistribution =
      optionalString(spec.trafficDistribution, 'spec.trafficDistribution') ||
      undefined;
    const trafficDistributionAnnotation =
      meta.annotations[TRAFFIC_DISTRIBUTION_ANNOTATION] || undefined;
    // Without endpoints here, the Service is the same in every cluster that has it: one shared object (stored
    // only once its parts were read without error, so a hit needs no reading).
    const serviceKey =
      eps.length > 0
        ? undefined
        : [
            'S',
            namespace,
            meta.name,
            type,
            headless,
            labelsKey,
            selectorKey,
            portsKey,
            trafficDistribution ?? '',
            trafficDistributionAnnotation ?? '',
          ].join('\0');
    const known = serviceKey && lookupShared<MeshService>(serviceKey);
    if (known) return known;
    const ports =
      lookupShared<ServicePortInfo[]>(portsKey) ??
      share(readServicePorts(spec), portsKey);
    const service: MeshService = {
      namespace,
      name: meta.name,
      labels: share(meta.labels, labelsKey),
      type,
      selector: share(selector, selectorKey),
      ports,
      headless,
      endpoints: eps,
    };
    if (trafficDistribution) service.trafficDistribution = trafficDistribution;
    if (trafficDistributionAnnotation)
      service.trafficDistributionAnnotation = trafficDistributionAnnotation;
    return serviceKey ? share(service, serviceKey) : service;
  });
}
