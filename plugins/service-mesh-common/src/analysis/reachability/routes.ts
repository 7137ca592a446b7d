/*
 * Whether a client cluster's proxies can open connections to a destination cluster's endpoints, as istiod
 * programs them (pilot/pkg/xds/endpoints/ep_filters.go EndpointsByNetworkFilter, sidecar mode):
 * - an endpoint on the proxy's network (or with no network: model.Proxy.InNetwork treats empty as the same) is
 *   sent as it is, its pod IP;
 * - an endpoint on another network is replaced by that network's gateways: selectNetworkGateways takes the
 *   gateways of (network, endpoint cluster), else every gateway of the network; sidecars use only gateways with
 *   an mTLS port. The gateways an istiod knows come from the Services of every cluster it reads (its own and
 *   those of its remote secrets) and from meshNetworks (pilot/pkg/model/network.go NetworkManager.reload);
 * - when the network has no gateway at all, the endpoint is still sent with its pod IP ("when we have multiple
 *   networks but no E/W gateways configured we still generate EDS endpoints for remote networks as if they were on
 *   the same network. In practice it may not actually work" — the source's own comment). So such endpoints are in
 *   the client's load-balancing set and their connections fail: not dropped.
 * A gateway that istiod selects but that cannot pass the connection on (no ready replica, no AUTO_PASSTHROUGH
 * Gateway, or a shared gateway whose cluster does not discover the endpoints) fails the same way.
 */
import type { ClusterSnapshot, MeshNetworks } from '../../types/snapshot';
import { type AnalysisContext, ctxFlag, type MemberData } from '../context';
import type { FindingInput } from '../finding';
import { configClusterOf, discovers } from './discovery';
import {
  addressesUsedBy,
  exposeGateways,
  type GatewayExposure,
  passthroughOf,
  resolvesHostnameGateways,
} from './gatewayExposure';
import {
  declaredNetwork,
  missingNetworkFinding,
  networkMismatchFinding,
} from './networks';

export interface RouteGateway {
  cluster?: string;
  address: string;
  port: number;
  source: 'service' | 'meshNetworks';
}

export interface Route {
  state: 'yes' | 'no' | 'unknown';
  /** local: same cluster; direct: same network; gateway: through east-west gateways; pod-ip: across networks
   * with no gateway, so the pod IPs are dialled and fail. */
  via: 'local' | 'direct' | 'gateway' | 'pod-ip';
  /** The gateways istiod gives the client for the destination's endpoints. */
  gateways: RouteGateway[];
  because: FindingInput[];
  notes: string[];
}

/** Every gateway Service of the mesh as istiod sees it, per cluster; built once per analysis context. */
export interface MeshGateways {
  byCluster: Map<string, GatewayExposure[]>;
  /**
   * Networks some gateway Service serves. meshNetworks `address` gateways are per istiod (its mesh config), so
   * they make a route for that istiod's clients only and do not count here.
   */
  servedNetworks: Set<string>;
}

/** meshNetworks gateways named by `registryServiceName`, for one registry (cluster), by Service FQDN prefix. */
function registryGateways(
  meshNetworks: MeshNetworks[],
  idsOf: () => Set<string>,
): Map<string, { network: string; port: number }> {
  const out = new Map<string, { network: string; port: number }>();
  if (meshNetworks.length === 0) return out;
  // The cluster's ids come from its istiod's CLUSTER_ID: read only when meshNetworks names registries. (Unreadable
  // Deployments make eastWestGateways unreadable too, so no check that reads this sees a cluster without them.)
  const ids = idsOf();
  for (const mn of meshNetworks) {
    for (const network of mn.networks) {
      if (!network.fromRegistries.some(r => ids.has(r))) continue;
      for (const gw of network.gateways) {
        if (!gw.registryServiceName) continue;
        // `name.namespace.svc.<domain>`: the domain suffix is the cluster's (cluster.local by default).
        const [name, namespace] = gw.registryServiceName.split('.');
        if (name && namespace && !out.has(`${namespace}/${name}`))
          out.set(`${namespace}/${name}`, {
            network: network.name,
            port: gw.port,
          });
      }
    }
  }
  return out;
}

function meshNetworksOf(m: MemberData): MeshNetworks[] {
  return m.data.meshConfigs.flatMap(mc =>
    mc.meshNetworks ? [mc.meshNetworks] : [],
  );
}

const gatewaysMemo = new WeakMap<AnalysisContext, MeshGateways>();

export function meshGateways(ctx: AnalysisContext): MeshGateways {
  const known = gatewaysMemo.get(ctx);
  if (known) return known;
  const byCluster = new Map<string, GatewayExposure[]>();
  const servedNetworks = new Set<string>();
  for (const m of ctx.withData) {
    const exposures = exposeGateways(m.name, m.data, {
      registry: registryGateways(meshNetworksOf(m), () => m.ids),
      ...(m.network ? { network: m.network } : {}),
    });
    byCluster.set(m.name, exposures);
    for (const e of exposures) if (e.network) servedNetworks.add(e.network);
  }
  const result = { byCluster, servedNetworks };
  gatewaysMemo.set(ctx, result);
  return result;
}

/** Reading a cluster's gateways, or which network it is on, failed: routes to it are unknown. */
export function gatewayInputsUnreadable(m: MemberData): boolean {
  return (
    m.unreadable.has('eastWestGateways') ||
    m.unreadable.has('systemNamespaceNetwork') ||
    m.unreadable.has('meshConfigs')
  );
}

const passthroughMemo = new WeakMap<GatewayExposure, boolean | undefined>();

/**
 * Whether an AUTO_PASSTHROUGH Gateway serves the gateway (reads the cluster's `gateways`); undefined when the
 * Gateways could not be read there: assumed present.
 */
export function passthrough(
  m: MemberData,
  e: GatewayExposure,
): boolean | undefined {
  if (m.unreadable.has('gateways')) return undefined;
  if (!passthroughMemo.has(e))
    passthroughMemo.set(e, passthroughOf(e, m.data.gateways));
  return passthroughMemo.get(e);
}

/** The network other clusters reach `m`'s endpoints on: the declared one, else the cluster's. */
export function inboundNetwork(m: MemberData): string | undefined {
  return declaredNetwork(m)?.network ?? m.network;
}

/**
 * MESH030 applies: the cluster has no gateway Service, and no other cluster's gateway Service serves its network (a network may share one cluster's gateway: selectNetworkGateways falls back to every
 * gateway of the network).
 */
export function needsGateway(ctx: AnalysisContext, m: MemberData): boolean {
  const gateways = meshGateways(ctx);
  const network = inboundNetwork(m);
  return (
    (gateways.byCluster.get(m.name) ?? []).length === 0 &&
    (network === undefined || !gateways.servedNetworks.has(network))
  );
}

/** MESH030: the destination's network has no gateway Service (in any cluster) and no meshNetworks gateway. */
export function noGatewayFinding(m: MemberData, network: string): FindingInput {
  const c = ctxFlag(m.name);
  return {
    code: 'MESH030',
    message: `The mesh spans several networks, and ${m.name} (network ${network}) has no east-west gateway: workloads on other networks cannot reach ${m.name}'s endpoints.`,
    clusters: [m.name],
    hint: `samples/multicluster/gen-eastwest-gateway.sh --network ${network} | istioctl install -y -f - ${c}; then kubectl apply -n istio-system -f samples/multicluster/expose-services.yaml ${c}. With Alauda Service Mesh, enable the eastwestGateways component (replicaCount ≥ 1) of the ServiceMesh.`,
  };
}

/**
 * MESH031: the gateway Deployment (the one the Service's selector matches) has fewer ready replicas than desired
 * (none: error), or there is none. Its resource is that Deployment, the thing to change; without one, the Service.
 */
export function notReadyFinding(
  cluster: string,
  e: GatewayExposure,
): FindingInput {
  const gw = e.gateway;
  const c = ctxFlag(cluster);
  const base = {
    code: 'MESH031' as const,
    severity:
      gw.readyReplicas === 0 ? ('error' as const) : ('warning' as const),
    clusters: [cluster],
    resource: gw.deployment
      ? { kind: 'Deployment', namespace: gw.namespace, name: gw.deployment }
      : { kind: 'Service', namespace: gw.namespace, name: gw.name },
  };
  const deployment = `${gw.namespace}/${gw.deployment}`;
  if (!gw.deployment) {
    return {
      ...base,
      message: `East-west gateway Service ${gw.namespace}/${gw.name} in ${cluster} selects no Deployment in ${gw.namespace}: no gateway pod serves it and cross-network traffic to ${cluster} fails.`,
      hint: `kubectl -n ${gw.namespace} get service ${gw.name} -o jsonpath='{.spec.selector}' ${c}; kubectl -n ${gw.namespace} get deployments --show-labels ${c} (the selector must match the gateway pods' labels; or install the gateway: samples/multicluster/gen-eastwest-gateway.sh | istioctl install -y -f - ${c})`,
    };
  }
  if (gw.desiredReplicas === 0) {
    return {
      ...base,
      message: `East-west gateway Deployment ${deployment} in ${cluster} is scaled to 0 replicas: cross-network traffic to ${cluster} fails.`,
      hint: `kubectl -n ${gw.namespace} scale deployment/${gw.deployment} --replicas=2 ${c}`,
    };
  }
  return {
    ...base,
    message: `East-west gateway Deployment ${deployment} in ${cluster} has ${
      gw.readyReplicas
    }/${gw.desiredReplicas} ready replicas${
      gw.readyReplicas === 0
        ? `: cross-network traffic to ${cluster} fails`
        : ''
    }.`,
    hint: `kubectl -n ${gw.namespace} describe deployment/${gw.deployment} ${c}; kubectl -n ${gw.namespace} get pods -o wide ${c} (look for pending or crash-looping istio-eastwestgateway pods)`,
  };
}

function selectorSuggestion(e: GatewayExposure): string {
  const labels = e.gateway.podLabels;
  if (labels.istio) return `{istio: ${labels.istio}}`;
  if (labels.app) return `{app: ${labels.app}}`;
  return '{istio: eastwestgateway}';
}

/**
 * MESH034: a gateway of the cluster has no AUTO_PASSTHROUGH Gateway on its mTLS port (one finding per cluster,
 * naming the gateways). Only the published gateways count when there are any: they are the ones istiod uses.
 */
export function passthroughFinding(
  m: MemberData,
  exposures: GatewayExposure[],
): FindingInput | undefined {
  const relevant = exposures.some(e => e.published)
    ? exposures.filter(e => e.published)
    : exposures;
  const missing = relevant.filter(e => passthrough(m, e) === false);
  if (missing.length === 0) return undefined;
  const first = missing[0];
  const gw = first.gateway;
  const passing = m.data.gateways.filter(g =>
    g.servers.some(s => (s.tlsMode ?? '').toUpperCase() === 'AUTO_PASSTHROUGH'),
  );
  const onPort = passing.find(g =>
    g.servers.some(
      s =>
        s.port === first.mtlsPort &&
        (s.tlsMode ?? '').toUpperCase() === 'AUTO_PASSTHROUGH',
    ),
  );
  let message: string;
  if (onPort) {
    message = `In ${m.name}, Gateway ${onPort.namespace}/${onPort.name} passes ${first.mtlsPort} through, but its selector matches no east-west gateway pod: cross-network connections are reset.`;
  } else if (passing.length > 0) {
    const ports = [
      ...new Set(
        passing.flatMap(g =>
          g.servers
            .filter(s => (s.tlsMode ?? '').toUpperCase() === 'AUTO_PASSTHROUGH')
            .map(s => s.port),
        ),
      ),
    ];
    message = `In ${m.name}, Gateway ${passing[0].namespace}/${
      passing[0].name
    } passes TLS through on port ${ports.join(', ')}, not on ${
      first.mtlsPort
    }, the cross-network port of east-west gateway ${gw.namespace}/${
      gw.name
    }: cross-network connections are reset.`;
  } else {
    message = `${m.name} has no Istio Gateway with tls AUTO_PASSTHROUGH on port ${first.mtlsPort} for its east-west gateway: cross-network connections are reset.`;
  }
  return {
    code: 'MESH034',
    message,
    clusters: [m.name],
    hint: `kubectl apply -n ${gw.namespace} ${ctxFlag(m.name)} -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: cross-network-gateway
spec:
  selector: ${selectorSuggestion(first)}
  servers:
  - port: {number: ${first.mtlsPort}, name: tls, protocol: TLS}
    tls: {mode: AUTO_PASSTHROUGH}
    hosts: ["*.local"]
EOF`,
  };
}

/** MESH036: the client's istiod drops a gateway whose only addresses are hostnames. */
export function hostnameGatewayFinding(
  client: MemberData,
  e: GatewayExposure,
): FindingInput {
  const gw = e.gateway;
  const istiod = client.data.controlPlanes.find(
    cp => cp.resolveHostnameGateways === false,
  );
  const deployment = istiod?.deployment ?? 'istiod';
  return {
    code: 'MESH036',
    message: `istiod in ${
      client.name
    } runs with RESOLVE_HOSTNAME_GATEWAYS=false, and east-west gateway ${
      gw.namespace
    }/${gw.name} of ${e.cluster} has only hostname addresses (${e.addresses
      .map(a => a.address)
      .join(', ')}): istiod drops it, so clients in ${
      client.name
    } get no route to ${e.cluster}'s endpoints.`,
    clusters: [client.name, e.cluster],
    resource: {
      kind: 'Deployment',
      namespace: istiod?.namespace ?? client.istioNamespace,
      name: deployment,
    },
    idParts: [e.cluster, gw.name],
    hint: `Let istiod resolve gateway hostnames (the default): kubectl -n ${
      istiod?.namespace ?? client.istioNamespace
    } set env deployment/${deployment} RESOLVE_HOSTNAME_GATEWAYS=true ${ctxFlag(
      client.name,
    )}; or give the gateway Service an IP address (externalIPs).`,
  };
}

/** Error-level problems of a cluster's own gateway Services: why traffic cannot enter it through them. */
export function gatewayProblems(
  ctx: AnalysisContext,
  m: MemberData,
): FindingInput[] {
  const exposures = meshGateways(ctx).byCluster.get(m.name) ?? [];
  const declared = declaredNetwork(m);
  const out: FindingInput[] = [];
  for (const e of exposures) {
    out.push(...e.unpublishedBecause);
    if (!e.ready) out.push(notReadyFinding(m.name, e));
    if (declared && e.network && e.network !== declared.network)
      out.push(networkMismatchFinding(m, e.gateway, declared));
  }
  const noPassthrough = passthroughFinding(m, exposures);
  if (noPassthrough) out.push(noPassthrough);
  return out;
}

function key(f: FindingInput): string {
  return `${f.code}|${f.clusters.join(',')}|${f.resource?.kind ?? ''}/${
    f.resource?.namespace ?? ''
  }/${f.resource?.name ?? ''}|${(f.idParts ?? []).join(',')}`;
}

function unique(findings: FindingInput[]): FindingInput[] {
  const seen = new Set<string>();
  return findings.filter(f => {
    const k = key(f);
    return !seen.has(k) && !!seen.add(k);
  });
}

function toRouteGateways(
  e: GatewayExposure,
  resolves: boolean,
): RouteGateway[] {
  return addressesUsedBy(e, resolves).map(a => ({
    cluster: e.cluster,
    address: a.address,
    port: e.publishedPort,
    source: 'service' as const,
  }));
}

/**
 * How `client` (its proxies, configured by `configCluster`'s istiod) reaches `dest`'s endpoints, assuming the
 * endpoints are discovered (discovery is a separate aspect of the model).
 */
export function route(
  ctx: AnalysisContext,
  client: ClusterSnapshot,
  configCluster: MemberData | undefined,
  dest: MemberData,
): Route {
  const none: Pick<Route, 'gateways' | 'because' | 'notes'> = {
    gateways: [],
    because: [],
    notes: [],
  };
  if (client.name === dest.name) return { state: 'yes', via: 'local', ...none };
  if (!ctx.multiNetwork) return { state: 'yes', via: 'direct', ...none };
  if (gatewayInputsUnreadable(dest)) {
    return {
      state: 'unknown',
      via: 'gateway',
      ...none,
      notes: [
        `${dest.name}'s Services, namespaces or mesh config could not be read (MESH092): its network and east-west gateway are unknown.`,
      ],
    };
  }
  const clientNetwork = ctx.withData.find(m => m.name === client.name)?.network;
  const declared = declaredNetwork(dest);
  if (!declared) {
    if (clientNetwork !== undefined && clientNetwork === dest.network)
      return { state: 'yes', via: 'direct', ...none };
    // Its endpoints carry no network: every client dials their pod IPs.
    const viaGateways = gatewayPath(
      ctx,
      configCluster,
      dest,
      inboundNetwork(dest) ?? '',
    );
    return {
      state: 'no',
      via: 'pod-ip',
      gateways: [],
      because: unique([missingNetworkFinding(dest), ...viaGateways.because]),
      notes: [
        `${dest.name}'s endpoints have no network, so clients in ${client.name} dial their pod IPs across networks.`,
      ],
    };
  }
  if (clientNetwork !== undefined && clientNetwork === declared.network)
    return { state: 'yes', via: 'direct', ...none };
  return gatewayPath(ctx, configCluster, dest, declared.network);
}

function gatewayPath(
  ctx: AnalysisContext,
  configCluster: MemberData | undefined,
  dest: MemberData,
  network: string,
): Route {
  const gateways = meshGateways(ctx);
  const resolves = configCluster
    ? resolvesHostnameGateways(configCluster.data)
    : true;
  const because: FindingInput[] = [];
  const notes: string[] = [];
  const published = (m: MemberData) =>
    (gateways.byCluster.get(m.name) ?? []).filter(
      e => e.published && e.network === network,
    );
  const usable = (m: MemberData) =>
    published(m).filter(e => {
      if (e.addressesUnknown || addressesUsedBy(e, resolves).length > 0)
        return true;
      if (configCluster) because.push(hostnameGatewayFinding(configCluster, e));
      return false;
    });
  const working = (owner: MemberData) => (e: GatewayExposure) =>
    e.ready && passthrough(owner, e) !== false;

  // GatewaysForNetworkAndCluster: the destination's own gateways first.
  const own = usable(dest);
  if (own.length > 0) {
    const ok = own.filter(working(dest));
    if (ok.length > 0) {
      return {
        state: 'yes',
        via: 'gateway',
        gateways: ok.flatMap(e => toRouteGateways(e, resolves)),
        because: [],
        notes: own.flatMap(e => e.notes),
      };
    }
    return {
      state: 'no',
      via: 'gateway',
      gateways: own.flatMap(e => toRouteGateways(e, resolves)),
      because: unique([...because, ...gatewayProblems(ctx, dest)]),
      notes: own.flatMap(e => e.notes),
    };
  }

  // GatewaysForNetwork: the network's gateways in the clusters the client's istiod reads, and meshNetworks.
  const candidates: Array<{
    exposure?: GatewayExposure;
    gateway: RouteGateway[];
    ok: boolean;
  }> = [];
  const fallbackProblems: FindingInput[] = [];
  let unknownGateways = false;
  for (const other of ctx.withData) {
    if (other.name === dest.name) continue;
    if (gatewayInputsUnreadable(other)) {
      unknownGateways = true;
      continue;
    }
    const labelled = (gateways.byCluster.get(other.name) ?? []).filter(
      e => e.network === network,
    );
    if (labelled.length === 0) continue;
    const seen = configCluster
      ? discovers(ctx, configCluster, other.cluster)
      : undefined;
    if (seen?.state === 'no') {
      // Its istiod never reads that cluster's Services, so it never learns of that gateway.
      fallbackProblems.push(...seen.because);
      continue;
    }
    // The gateway forwards by SNI to the endpoints its own control plane knows.
    const otherControlPlane = configClusterOf(ctx, other);
    const forwards = otherControlPlane
      ? discovers(ctx, otherControlPlane, dest.cluster)
      : { state: 'unknown' as const, because: [] };
    const theirs = usable(other);
    for (const e of theirs) {
      const ok = working(other)(e) && forwards.state !== 'no';
      candidates.push({
        exposure: e,
        gateway: toRouteGateways(e, resolves),
        ok,
      });
      if (!ok) fallbackProblems.push(...forwards.because);
    }
    if (!theirs.some(working(other)))
      fallbackProblems.push(...gatewayProblems(ctx, other));
  }
  for (const mn of configCluster ? meshNetworksOf(configCluster) : []) {
    for (const n of mn.networks) {
      if (n.name !== network) continue;
      for (const g of n.gateways) {
        if (!g.address) continue;
        if (!resolves && !/^[\d.:A-Fa-f]+$/.test(g.address)) continue;
        candidates.push({
          gateway: [
            { address: g.address, port: g.port, source: 'meshNetworks' },
          ],
          ok: true,
        });
        notes.push(
          `meshNetworks of ${configCluster!.name} names gateway ${g.address}:${
            g.port
          } for ${network} (not verifiable from the API).`,
        );
      }
    }
  }
  const ok = candidates.filter(c => c.ok);
  if (ok.length > 0) {
    return {
      state: 'yes',
      via: 'gateway',
      gateways: ok.flatMap(c => c.gateway),
      because: [],
      notes: [
        ...notes,
        ...(ok.some(c => c.exposure && c.exposure.cluster !== dest.name)
          ? [
              `${
                dest.name
              } has no usable gateway of its own; its endpoints are reached through ${[
                ...new Set(
                  ok.flatMap(c => (c.exposure ? [c.exposure.cluster] : [])),
                ),
              ].join(', ')}'s gateway on network ${network}.`,
            ]
          : []),
      ],
    };
  }
  if (unknownGateways) {
    return {
      state: 'unknown',
      via: 'gateway',
      gateways: candidates.flatMap(c => c.gateway),
      because: [],
      notes: [
        ...notes,
        `The network's other gateways could not all be read (MESH092): a route through one of them is possible.`,
      ],
    };
  }
  const ownProblems = gatewayProblems(ctx, dest);
  const noGateway = needsGateway(ctx, dest);
  return {
    state: 'no',
    via: candidates.length > 0 ? 'gateway' : 'pod-ip',
    gateways: candidates.flatMap(c => c.gateway),
    because: unique([
      ...because,
      ...ownProblems,
      ...(noGateway ? [noGatewayFinding(dest, network)] : []),
      ...fallbackProblems,
    ]),
    notes: [
      ...notes,
      ...(candidates.length === 0
        ? [
            `No gateway of network ${network} is known to ${
              configCluster?.name ?? 'the client'
            }'s istiod: it sends ${
              dest.name
            }'s pod IPs, and connections across networks fail.`,
          ]
        : []),
    ],
  };
}
