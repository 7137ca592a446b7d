/*
 * Which VirtualServices are in force for traffic to a service, as istiod builds a sidecar's routes:
 * - pilot/pkg/model/virtualservice.go ResolveVirtualServiceShortnames: hosts and route/mirror destinations are
 *   resolved with ResolveShortnameToFQDN in the VirtualService's namespace;
 * - push_context.go initVirtualServices: sorted by creation time (virtualservice_controller.go); bound to the
 *   sidecars when `gateways` is empty or names `mesh`; exportTo (else meshConfig.defaultVirtualServiceExportTo,
 *   default `*`) makes it public (`*`), private (its own namespace or `.`) or exported to listed namespaces;
 * - virtualservice.go SelectVirtualServices: a client in namespace C sees C's private ones, then those exported to
 *   C, then the public ones, in that order;
 * - sidecar.go computeWildcardHostVirtualServiceIndex + route.go separateVSHostsAndServices: a service's routes
 *   come from the first visible VirtualService with its exact host, else from the first one with the most
 *   specific wildcard host covering it (MostSpecificHostMatch).
 * A `*` host bound to `mesh` is rejected by Istio's validation (validation.go: "wildcard host * is not allowed for
 * virtual services bound to the mesh gateway") and never selects a service here.
 * VirtualServices that send traffic to the service (a route or mirror destination) are in force for their own
 * hosts' clients; they are listed with the clients that can see them (not checked for being shadowed by an older
 * VirtualService for the same host).
 */
import type { PolicyResource } from '../types/snapshot';
import {
  asArray,
  asRecord,
  asString,
  asStringArray,
  compareStrings,
  isRecord,
} from '../util/guards';
import type { PolicyClients } from '../types/api';
import type { ServiceRef } from './destinationRules';
import {
  isWildcardHost,
  mostSpecificHostMatch,
  resolveShortnameToFqdn,
  serviceHost,
} from './hosts';
import { meshSettings } from './meshSettings';
import { perClusterData } from './perClusterData';

const MESH_GATEWAY = 'mesh';

interface IndexedVirtualService {
  rule: PolicyResource;
  /** Resolved hosts; `*` left out when bound to the mesh (invalid there). */
  hosts: string[];
  meshBound: boolean;
  /** Gateways other than `mesh`, as `namespace/name`. */
  gateways: string[];
  /** `*`, or namespaces (`.` replaced by its own); empty: visible to nobody (`~`). */
  exportTo: Set<string>;
  destinations: Set<string>;
}

export interface VirtualServiceIndex {
  /** In creation order. */
  rules: IndexedVirtualService[];
  byHost: Map<string, IndexedVirtualService[]>;
  wildcardByHost: Map<string, IndexedVirtualService[]>;
  byDestination: Map<string, IndexedVirtualService[]>;
}

function time(rule: PolicyResource): number {
  const t = Date.parse(asString(rule.creationTimestamp) ?? '');
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** push_context.go resolveGatewayName: `name` and `./name` are in the VirtualService's namespace. */
function gatewayName(gateway: string, namespace: string): string {
  if (!gateway.includes('/')) {
    if (!gateway.includes('.')) return `${namespace}/${gateway}`;
    const [name, ns] = gateway.split('.');
    return `${ns}/${name}`;
  }
  return gateway.startsWith('./')
    ? `${namespace}/${gateway.slice(2)}`
    : gateway;
}

/** Route and mirror destination hosts of a VirtualService spec, as written. */
export function destinationHosts(spec: Record<string, unknown>): string[] {
  const hosts: string[] = [];
  for (const kind of ['http', 'tcp', 'tls']) {
    for (const route of asArray(spec[kind]).filter(isRecord)) {
      for (const dest of asArray(route.route))
        hosts.push(asString(asRecord(asRecord(dest).destination).host) ?? '');
      if (kind !== 'http') continue;
      hosts.push(asString(asRecord(route.mirror).host) ?? '');
      for (const m of asArray(route.mirrors))
        hosts.push(asString(asRecord(asRecord(m).destination).host) ?? '');
    }
  }
  return hosts.filter(h => h !== '');
}

function indexed(
  value: unknown,
  defaultExportTo: string[],
): IndexedVirtualService | undefined {
  if (!isRecord(value) || !isRecord(value.spec)) return undefined;
  const rule = value as unknown as PolicyResource;
  if (typeof rule.namespace !== 'string' || typeof rule.name !== 'string')
    return undefined;
  const spec = rule.spec;
  const gateways = asStringArray(spec.gateways);
  const meshBound = gateways.length === 0 || gateways.includes(MESH_GATEWAY);
  const written = asStringArray(spec.exportTo);
  const exportList = written.length > 0 ? written : defaultExportTo;
  const exportTo = new Set<string>();
  if (exportList.includes('*')) exportTo.add('*');
  else if (!exportList.includes('~'))
    for (const e of exportList) exportTo.add(e === '.' ? rule.namespace : e);
  return {
    rule,
    hosts: asStringArray(spec.hosts)
      .map(h => resolveShortnameToFqdn(h, rule.namespace))
      .filter(h => h !== '' && !(meshBound && h === '*')),
    meshBound,
    gateways: gateways
      .filter(g => g !== MESH_GATEWAY)
      .map(g => gatewayName(g, rule.namespace)),
    exportTo,
    destinations: new Set(
      destinationHosts(spec).map(h =>
        resolveShortnameToFqdn(h, rule.namespace),
      ),
    ),
  };
}

export function buildVirtualServiceIndex(
  rules: unknown,
  defaultExportTo: string[] = ['*'],
): VirtualServiceIndex {
  const sorted = asArray(rules)
    .map(r => indexed(r, defaultExportTo))
    .filter((r): r is IndexedVirtualService => r !== undefined)
    .sort(
      (a, b) =>
        time(a.rule) - time(b.rule) ||
        compareStrings(a.rule.name, b.rule.name) ||
        compareStrings(a.rule.namespace, b.rule.namespace),
    );
  const index: VirtualServiceIndex = {
    rules: sorted,
    byHost: new Map(),
    wildcardByHost: new Map(),
    byDestination: new Map(),
  };
  const add = (
    map: Map<string, IndexedVirtualService[]>,
    key: string,
    vs: IndexedVirtualService,
  ) => {
    const list = map.get(key) ?? [];
    if (!list.includes(vs)) list.push(vs);
    map.set(key, list);
  };
  for (const vs of sorted) {
    if (vs.meshBound) {
      for (const h of vs.hosts)
        add(isWildcardHost(h) ? index.wildcardByHost : index.byHost, h, vs);
    }
    for (const d of vs.destinations) add(index.byDestination, d, vs);
  }
  return index;
}

/** The index of one cluster's VirtualServices, built once per cluster data object. */
export const virtualServiceIndex = perClusterData(d =>
  buildVirtualServiceIndex(
    d.virtualServices,
    meshSettings(d.meshConfigs).defaultVirtualServiceExportTo,
  ),
);

/** SelectVirtualServices' order for a client namespace: private, exported to it, public. */
function visibilityRank(
  vs: IndexedVirtualService,
  clientNamespace: string,
): number | undefined {
  if (vs.exportTo.has('*')) return 2;
  if (!vs.exportTo.has(clientNamespace)) return undefined;
  return vs.rule.namespace === clientNamespace ? 0 : 1;
}

function firstVisible(
  list: IndexedVirtualService[] | undefined,
  clientNamespace: string,
): IndexedVirtualService | undefined {
  let best: { vs: IndexedVirtualService; rank: number } | undefined;
  for (const vs of list ?? []) {
    const rank = visibilityRank(vs, clientNamespace);
    if (rank !== undefined && (!best || rank < best.rank)) best = { vs, rank };
  }
  return best?.vs;
}

/**
 * The VirtualService whose routes a sidecar in `clientNamespace` uses for the service's host, or undefined (the
 * default route).
 */
export function virtualServiceForClient(
  index: VirtualServiceIndex,
  clientNamespace: string,
  service: ServiceRef,
): PolicyResource | undefined {
  const host = serviceHost(service);
  const visible = (map: Map<string, IndexedVirtualService[]>) => {
    const out = new Map<string, IndexedVirtualService>();
    for (const [h, list] of map) {
      const vs = firstVisible(list, clientNamespace);
      if (vs) out.set(h, vs);
    }
    return out;
  };
  const exact = firstVisible(index.byHost.get(host), clientNamespace);
  if (exact) return exact.rule;
  return mostSpecificHostMatch(host, undefined, visible(index.wildcardByHost))
    ?.value.rule;
}

export interface VirtualServiceInForce {
  rule: PolicyResource;
  /** `host`: its routes are the service's routes; `destination`: it sends traffic of another host to the service. */
  via: 'host' | 'destination';
  clients: PolicyClients;
}

const ANY_OTHER_NAMESPACE = '\u0000other';

function clientNamespaces(
  namespaces: Iterable<string>,
): PolicyClients['namespaces'] {
  return [...namespaces]
    .map(n => (n === ANY_OTHER_NAMESPACE ? '*' : n))
    .sort(compareStrings);
}

/** Every VirtualService in force for traffic to a service, with the clients it applies to. */
export function virtualServicesInForce(
  index: VirtualServiceIndex,
  service: ServiceRef,
): VirtualServiceInForce[] {
  const host = serviceHost(service);
  const candidates = [...(index.byHost.get(host) ?? [])];
  for (const [pattern, list] of index.wildcardByHost)
    if (host.endsWith(pattern.slice(1))) candidates.push(...list);
  const namespaces = new Set([service.namespace, ANY_OTHER_NAMESPACE]);
  for (const vs of candidates) {
    namespaces.add(vs.rule.namespace);
    for (const e of vs.exportTo) if (e !== '*') namespaces.add(e);
  }

  const out: VirtualServiceInForce[] = [];
  const byHost = new Map<PolicyResource, Set<string>>();
  for (const namespace of namespaces) {
    const rule = virtualServiceForClient(index, namespace, service);
    if (rule) byHost.set(rule, (byHost.get(rule) ?? new Set()).add(namespace));
  }
  for (const [rule, ns] of byHost)
    out.push({
      rule,
      via: 'host',
      clients: { namespaces: clientNamespaces(ns) },
    });

  for (const vs of index.byDestination.get(host) ?? []) {
    if (byHost.has(vs.rule) || vs.exportTo.size === 0) continue;
    const sidecars = vs.meshBound
      ? clientNamespaces(
          vs.exportTo.has('*') ? [ANY_OTHER_NAMESPACE] : vs.exportTo,
        )
      : [];
    out.push({
      rule: vs.rule,
      via: 'destination',
      clients: {
        namespaces: sidecars,
        ...(vs.gateways.length > 0 ? { gateways: vs.gateways } : {}),
      },
    });
  }
  return out;
}
