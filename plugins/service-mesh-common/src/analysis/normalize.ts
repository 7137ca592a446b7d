/*
 * Coerces whatever arrived as a snapshot (an old cache entry, a partial collector result, hand-written JSON) into
 * the exact shapes of types/snapshot.ts: arrays are arrays, counts are non-negative integers, names are strings.
 * Objects without the identity fields a check needs (a name) are dropped. The checks then read plain, trusted data
 * and the analysis cannot throw on a malformed snapshot.
 */
import type {
  ClusterMeshData,
  ClusterSnapshot,
  ClusterSourceError,
  ClusterStatus,
  CollectionError,
  ControlPlane,
  EastWestGateway,
  EndpointGroup,
  IstioGatewayResource,
  Locality,
  MeshConfigInfo,
  MeshNamespace,
  MeshService,
  MeshSnapshot,
  MeshWorkload,
  NodeLocalities,
  PolicyResource,
  RemoteSecret,
  RootCA,
  ServiceMeshResource,
  ServicePortInfo,
} from '../types/snapshot';
import { COLLECTION_ERROR_CODES } from '../types/snapshot';
import {
  asArray,
  asBoolean,
  asCount,
  asNumber,
  asRecord,
  asString,
  asStringArray,
  asStringRecord,
  isRecord,
} from '../util/guards';
import { normalizeIstiodViews } from './normalizeIstiod';

const CLUSTER_STATUSES: ClusterStatus[] = [
  'ok',
  'stale',
  'unreachable',
  'unauthorized',
  'error',
  'pending',
];

function mapRecords<T>(
  value: unknown,
  map: (r: Record<string, unknown>) => T | undefined,
): T[] {
  const out: T[] = [];
  for (const item of asArray(value)) {
    if (!isRecord(item)) continue;
    const mapped = map(item);
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}

function opt<K extends string, V>(
  key: K,
  value: V | undefined,
): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function normalizeLocality(value: unknown): Locality {
  const r = asRecord(value);
  return {
    region: asString(r.region) ?? '',
    zone: asString(r.zone) ?? '',
    ...opt('subzone', asString(r.subzone)),
  };
}

export function normalizeCollectionError(
  value: unknown,
): CollectionError | undefined {
  if (!isRecord(value)) return undefined;
  const code = COLLECTION_ERROR_CODES.find(c => c === value.code) ?? 'MESH090';
  return {
    code,
    message: asString(value.message) ?? '',
    ...opt('hint', asString(value.hint)),
    ...opt('resource', asString(value.resource)),
    ...opt('rbacRule', asString(value.rbacRule)),
  };
}

function normalizePort(
  r: Record<string, unknown>,
): ServicePortInfo | undefined {
  const port = asNumber(r.port);
  if (port === undefined) return undefined;
  const targetPort =
    typeof r.targetPort === 'string'
      ? asString(r.targetPort)
      : asNumber(r.targetPort);
  return {
    port,
    ...opt('name', asString(r.name)),
    ...opt('targetPort', targetPort),
    ...opt('protocol', asString(r.protocol)),
    ...opt('appProtocol', asString(r.appProtocol)),
  };
}

function normalizeServiceMesh(
  r: Record<string, unknown>,
): ServiceMeshResource | undefined {
  const name = asString(r.name);
  if (!name) return undefined;
  const mc = isRecord(r.multiCluster) ? r.multiCluster : undefined;
  return {
    name,
    namespace: asString(r.namespace) ?? '',
    cluster: asString(r.cluster) ?? name,
    ...opt('meshGroup', asString(r.meshGroup)),
    ...opt('istioVersion', asString(r.istioVersion)),
    ...opt(
      'multiCluster',
      mc && {
        enabled: asBoolean(mc.enabled) ?? false,
        isMultiNetwork: asBoolean(mc.isMultiNetwork) ?? false,
        ...opt('istioNetwork', asString(mc.istioNetwork)),
      },
    ),
    ...opt('phase', asString(r.phase)),
    ...opt('synthesisPhase', asString(r.synthesisPhase)),
    ...opt('state', asString(r.state)),
    ...opt('version', asString(r.version)),
    ...opt('desiredVersion', asString(r.desiredVersion)),
    spec: asRecord(r.spec),
  };
}

function normalizeControlPlane(r: Record<string, unknown>): ControlPlane {
  return {
    revision: asString(r.revision) ?? 'default',
    namespace: asString(r.namespace) ?? 'istio-system',
    deployment: asString(r.deployment) ?? 'istiod',
    ...opt('version', asString(r.version)),
    desiredReplicas: asCount(r.desiredReplicas),
    readyReplicas: asCount(r.readyReplicas),
    ...opt('clusterId', asString(r.clusterId)),
  };
}

function normalizeMeshConfig(r: Record<string, unknown>): MeshConfigInfo {
  return {
    revision: asString(r.revision) ?? 'default',
    namespace: asString(r.namespace) ?? 'istio-system',
    configMap: asString(r.configMap) ?? 'istio',
    ...opt('meshId', asString(r.meshId)),
    ...opt('trustDomain', asString(r.trustDomain)),
    ...opt('network', asString(r.network)),
    ...opt('localityLbEnabled', asBoolean(r.localityLbEnabled)),
    ...opt('enableAutoMtls', asBoolean(r.enableAutoMtls)),
    ...opt('rootNamespace', asString(r.rootNamespace)),
    ...(Array.isArray(r.defaultDestinationRuleExportTo)
      ? {
          defaultDestinationRuleExportTo: asStringArray(
            r.defaultDestinationRuleExportTo,
          ),
        }
      : {}),
    ...(Array.isArray(r.defaultVirtualServiceExportTo)
      ? {
          defaultVirtualServiceExportTo: asStringArray(
            r.defaultVirtualServiceExportTo,
          ),
        }
      : {}),
  };
}

function normalizeEastWestGateway(
  r: Record<string, unknown>,
): EastWestGateway | undefined {
  const name = asString(r.name);
  if (!name) return undefined;
  return {
    namespace: asString(r.namespace) ?? 'istio-system',
    name,
    ...opt('deployment', asString(r.deployment)),
    ...opt('network', asString(r.network)),
    ...opt('serviceType', asString(r.serviceType)),
    addresses: asStringArray(r.addresses),
    ports: mapRecords(r.ports, normalizePort),
    desiredReplicas: asCount(r.desiredReplicas),
    readyReplicas: asCount(r.readyReplicas),
    podLabels: asStringRecord(r.podLabels),
  };
}

function normalizeIstioGateway(
  r: Record<string, unknown>,
): IstioGatewayResource | undefined {
  const name = asString(r.name);
  if (!name) return undefined;
  return {
    namespace: asString(r.namespace) ?? '',
    name,
    selector: asStringRecord(r.selector),
    servers: mapRecords(r.servers, s => {
      const port = asNumber(s.port);
      if (port === undefined) return undefined;
      return {
        port,
        ...opt('protocol', asString(s.protocol)),
        ...opt('tlsMode', asString(s.tlsMode)),
        hosts: asStringArray(s.hosts),
      };
    }),
  };
}

function normalizeRemoteSecret(
  r: Record<string, unknown>,
): RemoteSecret | undefined {
  const name = asString(r.name);
  const cluster = asString(r.cluster);
  if (!name || !cluster) return undefined;
  return { namespace: asString(r.namespace) ?? 'istio-system', name, cluster };
}

function normalizeRootCa(value: unknown): RootCA | undefined {
  if (!isRecord(value)) return undefined;
  const fingerprint = asString(value.fingerprint);
  if (!fingerprint) return undefined;
  return {
    fingerprint,
    ...opt('subject', asString(value.subject)),
    ...opt('notAfter', asString(value.notAfter)),
    source: asString(value.source) ?? '',
    ...opt('error', asString(value.error)),
  };
}

function normalizeNodes(value: unknown): NodeLocalities {
  const r = asRecord(value);
  const byLocality = mapRecords(r.byLocality, l => ({
    region: asString(l.region) ?? '',
    zone: asString(l.zone) ?? '',
    nodes: asCount(l.nodes),
  }));
  const unlabelled = asStringArray(r.unlabelled);
  const listedTotal = byLocality.reduce((s, l) => s + l.nodes, 0);
  return {
    total: Math.max(asCount(r.total), listedTotal),
    byLocality,
    unlabelled,
    unlabelledCount: Math.max(asCount(r.unlabelledCount), unlabelled.length),
  };
}

function normalizeNamespace(
  r: Record<string, unknown>,
): MeshNamespace | undefined {
  const name = asString(r.name);
  if (!name) return undefined;
  return {
    name,
    labels: asStringRecord(r.labels),
    onboarded: asBoolean(r.onboarded) ?? false,
    ...opt('revision', asString(r.revision)),
  };
}

function normalizeEndpointGroup(r: Record<string, unknown>): EndpointGroup {
  return {
    locality: normalizeLocality(r.locality),
    ready: asCount(r.ready),
    notReady: asCount(r.notReady),
  };
}

function normalizeService(r: Record<string, unknown>): MeshService | undefined {
  const name = asString(r.name);
  const namespace = asString(r.namespace);
  if (!name || !namespace) return undefined;
  return {
    namespace,
    name,
    labels: asStringRecord(r.labels),
    ...opt('type', asString(r.type)),
    selector: asStringRecord(r.selector),
    ports: mapRecords(r.ports, normalizePort),
    headless: asBoolean(r.headless) ?? false,
    endpoints: mapRecords(r.endpoints, normalizeEndpointGroup),
  };
}

function normalizeWorkload(
  r: Record<string, unknown>,
): MeshWorkload | undefined {
  const name = asString(r.name);
  const namespace = asString(r.namespace);
  if (!name || !namespace) return undefined;
  return {
    namespace,
    name,
    kind: asString(r.kind) ?? 'Pod',
    labels: asStringRecord(r.labels),
    pods: asCount(r.pods),
    readyPods: asCount(r.readyPods),
    podsWithSidecar: asCount(r.podsWithSidecar),
    podsOptedOut: asCount(r.podsOptedOut),
    localities: mapRecords(r.localities, l => ({
      ...normalizeLocality(l),
      pods: asCount(l.pods),
    })),
  };
}

/** First of each key; later duplicates (a collector bug or a hand-edited snapshot) are dropped. */
function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(item => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function normalizeNamespaces(value: unknown): MeshNamespace[] {
  const byName = new Map<string, MeshNamespace>();
  for (const ns of mapRecords(value, normalizeNamespace)) {
    const seen = byName.get(ns.name);
    // Duplicates merge: onboarded if any copy says so.
    if (!seen) byName.set(ns.name, ns);
    else if (ns.onboarded && !seen.onboarded) byName.set(ns.name, ns);
  }
  return [...byName.values()];
}

const nsName = (x: { namespace: string; name: string }) =>
  `${x.namespace}/${x.name}`;

function policyMapper(kind: PolicyResource['kind']) {
  return (r: Record<string, unknown>): PolicyResource | undefined => {
    const name = asString(r.name);
    const namespace = asString(r.namespace);
    if (!name || !namespace) return undefined;
    return {
      kind,
      namespace,
      name,
      ...opt('creationTimestamp', asString(r.creationTimestamp)),
      spec: asRecord(r.spec),
    };
  };
}

export function normalizeClusterData(value: unknown): ClusterMeshData {
  const r = asRecord(value);
  return {
    serviceMeshes: mapRecords(r.serviceMeshes, normalizeServiceMesh),
    controlPlanes: mapRecords(r.controlPlanes, normalizeControlPlane),
    meshConfigs: mapRecords(r.meshConfigs, normalizeMeshConfig),
    ...opt('systemNamespaceNetwork', asString(r.systemNamespaceNetwork)),
    eastWestGateways: uniqueBy(
      mapRecords(r.eastWestGateways, normalizeEastWestGateway),
      nsName,
    ),
    gateways: mapRecords(r.gateways, normalizeIstioGateway),
    remoteSecrets: mapRecords(r.remoteSecrets, normalizeRemoteSecret),
    ...opt('rootCA', normalizeRootCa(r.rootCA)),
    nodes: normalizeNodes(r.nodes),
    namespaces: normalizeNamespaces(r.namespaces),
    services: uniqueBy(mapRecords(r.services, normalizeService), nsName),
    workloads: uniqueBy(
      mapRecords(r.workloads, normalizeWorkload),
      w => `${w.kind}/${nsName(w)}`,
    ),
    destinationRules: uniqueBy(
      mapRecords(r.destinationRules, policyMapper('DestinationRule')),
      nsName,
    ),
    virtualServices: uniqueBy(
      mapRecords(r.virtualServices, policyMapper('VirtualService')),
      nsName,
    ),
    peerAuthentications: uniqueBy(
      mapRecords(r.peerAuthentications, policyMapper('PeerAuthentication')),
      nsName,
    ),
    partialErrors: mapRecords(r.partialErrors, normalizeCollectionError),
    malformedObjects: mapRecords(r.malformedObjects, m => ({
      kind: asString(m.kind) ?? '',
      ...opt('namespace', asString(m.namespace)),
      ...opt('name', asString(m.name)),
      reason: asString(m.reason) ?? '',
    })),
    ...opt('istiod', normalizeIstiodViews(r.istiod)),
  };
}

function normalizeCluster(
  r: Record<string, unknown>,
  managementCluster: string | undefined,
): ClusterSnapshot | undefined {
  const name = asString(r.name);
  if (!name) return undefined;
  const data = isRecord(r.data) ? normalizeClusterData(r.data) : undefined;
  let role: ClusterSnapshot['role'];
  if (r.role === 'member' || r.role === 'management') role = r.role;
  else role = name === managementCluster ? 'management' : 'member';
  const status =
    CLUSTER_STATUSES.find(s => s === r.status) ?? (data ? 'ok' : 'error');
  return {
    name,
    role,
    status,
    ...opt('error', normalizeCollectionError(r.error)),
    ...opt('lastSyncedAt', asString(r.lastSyncedAt)),
    ...opt('lastAttemptAt', asString(r.lastAttemptAt)),
    ...opt('durationMs', asNumber(r.durationMs)),
    ...opt('region', asString(r.region)),
    ...opt('network', asString(r.network)),
    ...opt('data', data),
  };
}

/** A well-formed copy of `value`; clusters without a name and duplicate names (after the first) are dropped. */
export function normalizeSnapshot(value: unknown): MeshSnapshot {
  const r = asRecord(value);
  const managementCluster = asString(r.managementCluster);
  const seen = new Set<string>();
  const clusters: ClusterSnapshot[] = [];
  for (const c of mapRecords(r.clusters, x =>
    normalizeCluster(x, managementCluster),
  )) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    clusters.push(c);
  }
  return {
    schemaVersion: asNumber(r.schemaVersion) ?? 1,
    generatedAt: asString(r.generatedAt) ?? '',
    ...opt('managementCluster', managementCluster),
    clusters,
    ...(Array.isArray(r.sourceErrors)
      ? { sourceErrors: mapRecords(r.sourceErrors, normalizeSourceError) }
      : {}),
  };
}

function normalizeSourceError(
  r: Record<string, unknown>,
): ClusterSourceError | undefined {
  const source = asString(r.source);
  if (!source) return undefined;
  return {
    source,
    code: r.code === 'MESH095' ? 'MESH095' : 'MESH097',
    message: asString(r.message) ?? '',
    hint: asString(r.hint) ?? '',
  };
}
