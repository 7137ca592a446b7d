/*
 * Reads one cluster: every list call in parallel, then the pure mappers. A 403 on one resource costs that
 * resource only (MESH092 names the RBAC rule); a 401 or a network failure fails the whole cluster, and the
 * snapshot keeps its last good data.
 */
import {
  ClusterMeshData,
  CollectionError,
  ClusterStatus,
  SYSTEM_NAMESPACES,
  compareStrings,
} from '@internal/plugin-service-mesh-common';
import {
  classifyClusterFailure,
  clusterStatusOf,
  isKubeApiError,
  KubeApiError,
  KubeClient,
} from '@internal/plugin-service-mesh-node';
import { mapControlPlanes } from './controlPlanes';
import {
  gatewayNodeSelector,
  GatewayNodeInfo,
  isGatewayServiceLabelled,
  mapEastWestGateways,
  mapGatewayNodes,
} from './eastWestGateways';
import { collectIstiod, IstiodCollectOptions } from './istiod';
import { mapCrossNetworkGateways } from './gateways';
import { mapInjectors } from './injectors';
import { mapMeshConfigs } from './meshConfigs';
import { mapNamespaces } from './namespaces';
import { mapNodes } from './nodes';
import { MappingContext } from './objects';
import { mapPolicies } from './policies';
import { mapRemoteSecrets } from './remoteSecrets';
import { mapRevisionTags } from './revisionTags';
import {
  listPath,
  rbacRule,
  ResourceKey,
  RESOURCES,
  ResourceSpec,
} from './resources';
import { mapRootCA } from './rootCA';
import { mapServiceMeshes } from './serviceMeshes';
import { buildMeshServices, EndpointSliceAggregator } from './services';
import { deploymentLabels, PodAggregator } from './workloads';

/** A failure of the whole cluster read, already classified for the snapshot. */
export class ClusterReadError extends Error {
  constructor(
    readonly status: Exclude<ClusterStatus, 'ok' | 'stale' | 'pending'>,
    readonly error: CollectionError,
  ) {
    super(error.message);
  }
}

export interface CollectOptions {
  /** The management cluster holds ServiceMesh resources only; nothing else is read there. */
  role: 'member' | 'management';
  /** Read ServiceMesh resources here (all clusters when no management cluster is configured). */
  readServiceMeshes: boolean;
  /** Read istiod's debug endpoints (members only); absent: not read. */
  istiod?: IstiodCollectOptions;
  /** Watch mode: resources are read from the cluster's informers (snapshot/watch) instead of listed. */
  watched?: WatchedResources;
}

/** One resource as its informer holds it: the objects, the failure of its last attempt, or a malformed list. */
export type WatchedRead =
  | { items: unknown[] }
  | { error: KubeApiError }
  | { malformed: true };

/** A cluster's watched resources; `read` resolves undefined for a resource to list now (not listed yet). */
export interface WatchedResources {
  read(key: ResourceKey): Promise<WatchedRead | undefined>;
}

/** Where the pages of one list go: pods and EndpointSlices are reduced as they arrive, the rest is kept raw. */
interface Sink {
  add(items: unknown[]): void;
}

class RawSink implements Sink {
  readonly items: unknown[] = [];
  add(items: unknown[]): void {
    for (const item of items) this.items.push(item);
  }
}

type Fetched = { sink: Sink } | { error: KubeApiError; spec: ResourceSpec };

function createSink(key: ResourceKey): Sink {
  if (key === 'pods') return new PodAggregator();
  if (key === 'endpointSlices') return new EndpointSliceAggregator();
  return new RawSink();
}

export async function collectCluster(
  client: KubeClient,
  options: CollectOptions,
): Promise<ClusterMeshData> {
  const keys: ResourceKey[] =
    options.role === 'management'
      ? ['serviceMeshes']
      : (Object.keys(RESOURCES) as ResourceKey[]).filter(
          k => k !== 'serviceMeshes' || options.readServiceMeshes,
        );

  const ctx = new MappingContext();
  // istiod's own view is read alongside the lists; it never fails the cluster (see istiod.ts).
  const istiod =
    options.role === 'member' && options.istiod
      ? collectIstiod(client, options.istiod)
      : Promise.resolve(undefined);
  const [results, istiodViews] = await Promise.all([
    Promise.all(
      keys.map(async key => {
        const spec = RESOURCES[key] as ResourceSpec;
        const watched = await options.watched?.read(key);
        if (!watched)
          return fetchResource(client, spec, ctx, () => createSink(key));
        return fromWatched(watched, spec, ctx, createSink(key));
      }),
    ),
    istiod,
  ]);
  const fetched = new Map<ResourceKey, Fetched>(
    keys.map((key, i) => [key, results[i]]),
  );

  const partialErrors = classifyFailures(fetched);
  const sink = <S extends Sink>(key: ResourceKey): S => {
    const f = fetched.get(key);
    return (f && 'sink' in f ? f.sink : createSink(key)) as S;
  };
  const raw = (key: ResourceKey) => sink<RawSink>(key).items;
  const gatewayNodes = await listGatewayNodes(
    client,
    raw('services'),
    ctx,
    partialErrors,
  );
  const data = buildClusterData(
    {
      serviceMeshes: raw('serviceMeshes'),
      deployments: raw('deployments'),
      istioConfigMaps: raw('istioConfigMaps'),
      namespaces: raw('namespaces'),
      services: raw('services'),
      gateways: raw('gateways'),
      remoteSecrets: raw('remoteSecrets'),
      tagWebhooks: raw('tagWebhooks'),
      nodes: raw('nodes'),
      pods: sink<PodAggregator>('pods'),
      endpointSlices: sink<EndpointSliceAggregator>('endpointSlices'),
      destinationRules: raw('destinationRules'),
      virtualServices: raw('virtualServices'),
      peerAuthentications: raw('peerAuthentications'),
      authorizationPolicies: raw('authorizationPolicies'),
      sidecars: raw('sidecars'),
      serviceEntries: raw('serviceEntries'),
      gatewayNodes,
    },
    ctx,
    partialErrors,
  );
  return istiodViews?.length ? { ...data, istiod: istiodViews } : data;
}

/**
 * Nodes a NodePort east-west gateway selects (annotation traffic.istio.io/nodeSelector), read in full for their
 * addresses (the regular node list is metadata only). One list per distinct selector, with the selector as a
 * label selector, and only when such a gateway exists: usually no call at all. Nodes hold no secrets.
 */
async function listGatewayNodes(
  client: KubeClient,
  services: unknown[],
  ctx: MappingContext,
  partialErrors: CollectionError[],
): Promise<unknown[] | undefined> {
  const selectors = new Map<string, string>();
  for (const s of services) {
    if (!isGatewayServiceLabelled(s)) continue;
    const selector = gatewayNodeSelector(s);
    if (!selector) continue;
    const labelSelector = Object.entries(selector)
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    selectors.set(labelSelector, labelSelector);
  }
  if (selectors.size === 0) return undefined;
  const byName = new Map<string, unknown>();
  for (const labelSelector of selectors.values()) {
    const spec: ResourceSpec = {
      ...RESOURCES.nodes,
      metadataOnly: false,
      ...(labelSelector ? { labelSelector } : {}),
    };
    const result = await fetchResource(client, spec, ctx, () => new RawSink());
    if ('error' in result) {
      // The cluster answered the other lists; a failed node read costs the node addresses only (unknown, not
      // absent, in the analysis). A 403 is reported like any other.
      if (result.error.statusCode !== 403) return undefined;
      partialErrors.push({
        code: 'MESH092',
        message: `Reading the nodes of NodePort east-west gateways failed: ${result.error.message}`,
        resource: 'nodes',
        rbacRule: rbacRule(spec),
      });
      return undefined;
    }
    for (const node of (result.sink as RawSink).items) {
      const name = (node as { metadata?: { name?: unknown } })?.metadata?.name;
      if (typeof name === 'string') byName.set(name, node);
    }
  }
  return [...byName.values()];
}

/** The raw lists of one cluster, by resource, and the gateway nodes when some were read. */
export type RawClusterLists = Record<ResourceKey, unknown[]> & {
  gatewayNodes?: unknown[];
};

/** One cluster's lists as collected: raw, except pods and EndpointSlices, which are reduced while they stream in. */
type CollectedLists = Omit<RawClusterLists, 'pods' | 'endpointSlices'> & {
  pods: PodAggregator;
  endpointSlices: EndpointSliceAggregator;
};

/** The pure part: raw lists in, ClusterMeshData out. */
export function mapClusterData(
  raw: RawClusterLists,
  ctx: MappingContext = new MappingContext(),
  partialErrors: CollectionError[] = [],
): ClusterMeshData {
  const pods = new PodAggregator();
  pods.add(raw.pods);
  const endpointSlices = new EndpointSliceAggregator();
  endpointSlices.add(raw.endpointSlices);
  return buildClusterData({ ...raw, pods, endpointSlices }, ctx, partialErrors);
}

function buildClusterData(
  lists: CollectedLists,
  ctx: MappingContext,
  partialErrors: CollectionError[],
): ClusterMeshData {
  const { namespaces, systemNamespaceNetwork, controlPlaneClusters } =
    mapNamespaces(lists.namespaces, ctx);
  const { localities, nodeLocality } = mapNodes(lists.nodes, ctx);
  const meshConfigs = mapMeshConfigs(lists.istioConfigMaps, ctx);
  const gatewayNodes: GatewayNodeInfo[] | undefined = lists.gatewayNodes
    ? mapGatewayNodes(lists.gatewayNodes, ctx)
    : undefined;
  const pods = lists.pods;
  pods.flushMalformed(ctx);
  pods.resolve(nodeLocality);

  // Mesh namespaces: onboarded by label, or running sidecars anyway (pod-level injection). System namespaces
  // run gateways with an istio-proxy container, which are not mesh workloads.
  const excluded = new Set(SYSTEM_NAMESPACES.filter(n => n !== 'default'));
  const meshNamespaces = new Set(
    namespaces.filter(n => n.onboarded).map(n => n.name),
  );
  for (const ns of pods.sidecarNamespaces)
    if (!excluded.has(ns)) meshNamespaces.add(ns);
  const rootCA = mapRootCA(lists.istioConfigMaps, ctx);
  const endpoints = lists.endpointSlices.groups(
    meshNamespaces,
    (namespace, name) => pods.podLocality(namespace, name, meshNamespaces),
    nodeLocality,
    ctx,
  );

  return {
    serviceMeshes: mapServiceMeshes(lists.serviceMeshes, ctx),
    controlPlanes: mapControlPlanes(lists.deployments, ctx),
    meshConfigs: meshConfigs,
    revisionTags: mapRevisionTags(lists.tagWebhooks, ctx),
    injectors: mapInjectors(lists.istioConfigMaps, ctx),
    ...(systemNamespaceNetwork ? { systemNamespaceNetwork } : {}),
    ...(controlPlaneClusters ? { controlPlaneClusters } : {}),
    eastWestGateways: mapEastWestGateways(
      lists.services,
      lists.deployments,
      ctx,
      { meshConfigs, ...(gatewayNodes ? { nodes: gatewayNodes } : {}) },
    ),
    gateways: mapCrossNetworkGateways(lists.gateways, ctx),
    remoteSecrets: mapRemoteSecrets(lists.remoteSecrets, ctx),
    ...(rootCA ? { rootCA } : {}),
    nodes: localities,
    namespaces,
    services: buildMeshServices(lists.services, endpoints, meshNamespaces, ctx),
    workloads: pods.workloads(
      nodeLocality,
      meshNamespaces,
      deploymentLabels(lists.deployments, ctx),
    ),
    destinationRules: mapPolicies(
      lists.destinationRules,
      'DestinationRule',
      ctx,
    ),
    virtualServices: mapPolicies(lists.virtualServices, 'VirtualService', ctx),
    peerAuthentications: mapPolicies(
      lists.peerAuthentications,
      'PeerAuthentication',
      ctx,
    ),
    authorizationPolicies: mapPolicies(
      lists.authorizationPolicies,
      'AuthorizationPolicy',
      ctx,
    ),
    sidecars: mapPolicies(lists.sidecars, 'Sidecar', ctx),
    serviceEntries: mapPolicies(lists.serviceEntries, 'ServiceEntry', ctx),
    partialErrors,
    malformedObjects: ctx.malformedObjects,
  };
}

/** A watched resource as the list path would have fetched it: the same sinks, failures and malformed record. */
function fromWatched(
  watched: WatchedRead,
  spec: ResourceSpec,
  ctx: MappingContext,
  sink: Sink,
): Fetched {
  if ('error' in watched) return { error: watched.error, spec };
  if ('malformed' in watched) {
    ctx.malformed(
      spec.kind,
      undefined,
      `the ${spec.resource} list is not a valid list response`,
    );
    return { sink };
  }
  sink.add(watched.items);
  return { sink };
}

/** Lists a resource, trying the next API version on 404. A body that is not a list is recorded, not fatal. */
async function fetchResource(
  client: KubeClient,
  spec: ResourceSpec,
  ctx: MappingContext,
  newSink: () => Sink,
): Promise<Fetched> {
  let last: KubeApiError | undefined;
  for (const version of spec.versions) {
    // A fresh sink per attempt: a list that fails part-way leaves nothing behind.
    const sink = newSink();
    try {
      const path = listPath(spec, version);
      const options = {
        labelSelector: spec.labelSelector,
        metadataOnly: spec.metadataOnly,
      };
      if (client.listPages) {
        await client.listPages(path, options, page => sink.add(page));
      } else {
        sink.add(await client.list(path, options));
      }
      return { sink };
    } catch (error) {
      if (!isKubeApiError(error)) throw error;
      if (
        error.details.reason === 'InvalidResponse' &&
        error.statusCode !== undefined &&
        error.statusCode < 300
      ) {
        ctx.malformed(
          spec.kind,
          undefined,
          `the ${spec.resource} list is not a valid list response`,
        );
        return { sink: newSink() };
      }
      if (error.statusCode === 404) {
        last = error;
        continue;
      }
      return { error, spec };
    }
  }
  // Every version 404: an optional custom resource is simply not installed.
  if (spec.optional) return { sink: newSink() };
  return { error: last!, spec };
}

/**
 * Turns per-resource failures into partial errors, or throws a ClusterReadError when the cluster as a whole
 * cannot be read: 401 (credentials), no answer at all (unreachable), every essential resource forbidden, or an
 * unexpected error.
 */
function classifyFailures(
  fetched: Map<ResourceKey, Fetched>,
): CollectionError[] {
  const failures = [...fetched.entries()].flatMap(([key, f]) =>
    'error' in f ? [{ key, ...f }] : [],
  );
  if (failures.length === 0) return [];

  // One classification for every resource (the snapshot uses the same one for the cluster as a whole): a 401 or
  // no answer fails the cluster, as does any error that is not a 403; 403s cost their resource only.
  const classified = failures.map(f => classifyClusterFailure(f.error));
  const prefixes = {
    unauthorized: 'Credentials rejected (401): ',
    unreachable: 'Cluster unreachable: ',
    error: '',
  };
  for (const kind of ['unauthorized', 'unreachable', 'error'] as const) {
    const failure = classified.find(c => c.kind === kind);
    if (!failure) continue;
    const prefix = prefixes[kind];
    throw new ClusterReadError(clusterStatusOf(kind), {
      ...failure.error,
      message: prefix + failure.error.message,
    });
  }

  const forbidden = failures.map(f => ({
    code: 'MESH092' as const,
    message: `Access denied to ${f.spec.resource}${
      f.spec.group ? `.${f.spec.group}` : ''
    }: ${f.error.message}`,
    resource: f.spec.group
      ? `${f.spec.resource}.${f.spec.group}`
      : f.spec.resource,
    rbacRule: rbacRule(f.spec),
  }));
  const essential = [...fetched.keys()].filter(
    k => (RESOURCES[k] as ResourceSpec).essential,
  );
  const forbiddenKeys = new Set(failures.map(f => f.key));
  const allForbidden = [...fetched.keys()].every(k => forbiddenKeys.has(k));
  if (
    allForbidden ||
    (essential.length > 0 && essential.every(k => forbiddenKeys.has(k)))
  ) {
    throw new ClusterReadError('error', {
      code: 'MESH092',
      message: `Access denied to every resource the plugin needs: ${forbidden
        .map(f => f.resource)
        .join(', ')}`,
      resource: forbidden.map(f => f.resource).join(', '),
      rbacRule: forbidden.map(f => f.rbacRule).join('; '),
    });
  }
  return forbidden;
}
