/*
 * The mesh view of one catalog entity, matched like the Kubernetes plugin does: `backstage.io/kubernetes-id`
 * (objects labelled with it) or `backstage.io/kubernetes-label-selector`, optionally restricted to
 * `backstage.io/kubernetes-namespace`. Services that select a matched workload (and workloads a matched service
 * selects) belong to the entity too, since the label is often set on only one of them.
 */
import { entityProxySync } from './istiodViews';
import {
  buildSimulationInput,
  ClusterMeshData,
  ClusterSnapshot,
  effectiveMtlsMode,
  EndpointDistributionRow,
  EntityClusterView,
  EntityProxySync,
  EntityResponse,
  EntitySelector,
  EntityServiceSimulation,
  EntityTrafficPolicy,
  findingsForEntity,
  KUBERNETES_ID_LABEL,
  MeshService,
  MeshSnapshot,
  MeshWorkload,
  PolicyResource,
  simulateLocality,
} from '@internal/plugin-service-mesh-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { MeshSnapshotState } from '../snapshot/MeshSnapshotService';
import { ClusterObjects } from '../snapshot/SnapshotIndex';
import {
  indexableRequirement,
  matchesSelector,
  parseLabelSelector,
} from './labelSelector';
import {
  destinationRuleApplies,
  peerAuthenticationApplies,
  virtualServiceApplies,
} from './policyScope';

/** Bounds the response for an entity that matches a very wide selector. */
const MAX_SIMULATIONS = 25;

type MtlsView = EntityClusterView['mtlsMode'];
const MTLS_STRENGTH: Record<string, number> = {
  DISABLE: 0,
  UNSET: 1,
  'PERMISSIVE (default)': 1,
  PERMISSIVE: 1,
  STRICT: 2,
};

export function buildEntityView(
  state: MeshSnapshotState,
  entityRef: string,
  selector: EntitySelector,
  logger?: LoggerService,
): EntityResponse {
  const { snapshot } = state;
  const matches = matchEntity(state, selector);

  const clusters: EntityClusterView[] = [];
  const endpointDistribution: EndpointDistributionRow[] = [];
  const policies = new Map<string, EntityTrafficPolicy>();
  const services = new Map<string, { namespace: string; name: string }>();
  const namespaces = new Set<string>();

  for (const cluster of snapshot.clusters) {
    const objects = matches.get(cluster.name);
    const found =
      objects && (objects.services.length > 0 || objects.workloads.length > 0);
    // A member that could not be read is listed even without matches: the entity may run there.
    if (!found && !(cluster.role === 'member' && cluster.status !== 'ok'))
      continue;
    const view = clusterView(
      cluster,
      objects ?? { services: [], workloads: [] },
      selector,
    );
    clusters.push(view);
    view.namespaces.forEach(n => namespaces.add(n.name));
    if (!objects || !cluster.data) continue;

    for (const svc of objects.services) {
      services.set(`${svc.namespace}/${svc.name}`, {
        namespace: svc.namespace,
        name: svc.name,
      });
      for (const group of svc.endpoints) {
        endpointDistribution.push({
          cluster: cluster.name,
          ...(cluster.network ? { network: cluster.network } : {}),
          service: `${svc.namespace}/${svc.name}`,
          ...group,
        });
      }
    }
    for (const policy of applicablePolicies(
      cluster.data,
      objects,
      new Set(view.namespaces.map(n => n.name)),
    )) {
      const key = policyKey(policy);
      const merged = policies.get(key) ?? { ...policy, clusters: [] };
      merged.clusters.push(cluster.name);
      policies.set(key, merged);
    }
  }

  const simulations: EntityServiceSimulation[] = [];
  for (const [key, service] of [...services.entries()].slice(
    0,
    MAX_SIMULATIONS,
  )) {
    const simulation = simulationOf(snapshot, key, service, logger);
    if (simulation) simulations.push(simulation);
  }

  let findings: EntityResponse['findings'] = [];
  try {
    findings = findingsForEntity(state.findings, {
      clusters: clusters.map(c => c.cluster),
      namespaces: [...namespaces],
      services: [...services.values()],
    });
  } catch (error) {
    logger?.warn(`Selecting findings for ${entityRef} failed: ${error}`);
  }

  return {
    entityRef,
    generatedAt: snapshot.generatedAt,
    selector,
    clusters,
    endpointDistribution,
    trafficPolicies: [...policies.values()].sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        a.namespace.localeCompare(b.namespace) ||
        a.name.localeCompare(b.name),
    ),
    simulations,
    findings,
  };
}

/**
 * Simulations are pure functions of the snapshot and the service, so each is computed once per snapshot (the
 * snapshot object changes with every refresh, which drops the memo with it).
 */
const simulationMemo = new WeakMap<
  MeshSnapshot,
  Map<string, EntityServiceSimulation | null>
>();
const MAX_MEMOIZED_SIMULATIONS = 5000;

function simulationOf(
  snapshot: MeshSnapshot,
  key: string,
  service: { namespace: string; name: string },
  logger?: LoggerService,
): EntityServiceSimulation | undefined {
  let memo = simulationMemo.get(snapshot);
  if (!memo) {
    memo = new Map();
    simulationMemo.set(snapshot, memo);
  }
  const known = memo.get(key);
  if (known !== undefined) return known ?? undefined;
  let simulation: EntityServiceSimulation | null = null;
  try {
    const input = buildSimulationInput(
      simulationSnapshot(snapshot, service),
      service,
    );
    if (input.endpoints.length > 0) {
      simulation = { service: key, input, result: simulateLocality(input) };
    }
  } catch (error) {
    logger?.warn(`Locality simulation failed for ${key}: ${error}`);
  }
  if (memo.size >= MAX_MEMOIZED_SIMULATIONS) memo.clear();
  memo.set(key, simulation);
  return simulation ?? undefined;
}

/**
 * The snapshot as the simulation of one service needs it: each cluster keeps only the DestinationRules that can
 * name the service (a wildcard host, or a host whose first label is the service's name: `name`, `name.ns`,
 * `name.ns.svc…`), a superset of the rules Istio could pick. Without this, every entity request normalised every
 * rule of every cluster.
 */
function simulationSnapshot(
  snapshot: MeshSnapshot,
  service: { namespace: string; name: string },
): MeshSnapshot {
  return {
    ...snapshot,
    clusters: snapshot.clusters.map(cluster =>
      cluster.data
        ? {
            ...cluster,
            data: {
              ...cluster.data,
              destinationRules: policyIndex(cluster.data).destinationRules(
                service.name,
              ),
            },
          }
        : cluster,
    ),
  };
}

interface PolicyIndex {
  /** DestinationRules that may name a service of this name, in snapshot order. */
  destinationRules(name: string): PolicyResource[];
  /** VirtualServices that may route to or for a service of this name, in snapshot order. */
  virtualServices(name: string): PolicyResource[];
}

const policyIndexes = new WeakMap<ClusterMeshData, PolicyIndex>();

/**
 * Policies of a cluster by the first label of the hosts they name (lowercased), built once per cluster data: any
 * host that names a service, short or fully qualified, starts with the service's name; wildcard hosts (and
 * policies whose hosts cannot be read) are candidates for every service.
 */
function policyIndex(data: ClusterMeshData): PolicyIndex {
  let index = policyIndexes.get(data);
  if (index) return index;
  const build = (
    policies: PolicyResource[],
    hostsOf: (policy: PolicyResource) => unknown[],
  ) => {
    const byName = new Map<string, number[]>();
    const everywhere: number[] = [];
    policies.forEach((policy, i) => {
      const hosts = hostsOf(policy);
      const names = new Set<string>();
      let wildcard = hosts.length === 0;
      for (const host of hosts) {
        if (typeof host !== 'string') continue;
        const h = host.trim().toLowerCase();
        if (h.startsWith('*')) wildcard = true;
        else names.add(h.split('.')[0]);
      }
      if (wildcard) everywhere.push(i);
      for (const name of names) {
        const list = byName.get(name) ?? [];
        list.push(i);
        byName.set(name, list);
      }
    });
    return (name: string) => {
      const ids = byName.get(name.toLowerCase()) ?? [];
      const all = everywhere.length
        ? [...new Set([...ids, ...everywhere])].sort((a, b) => a - b)
        : ids;
      return all.map(i => policies[i]);
    };
  };
  const specOf = (p: PolicyResource) =>
    (typeof p.spec === 'object' && p.spec !== null ? p.spec : {}) as Record<
      string,
      unknown
    >;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const destinationRules = build(data.destinationRules, p => [specOf(p).host]);
  const virtualServices = build(data.virtualServices, p => {
    const spec = specOf(p);
    return [
      ...list(spec.hosts),
      ...['http', 'tcp', 'tls'].flatMap(kind =>
        list(spec[kind]).flatMap(route =>
          list((route as { route?: unknown })?.route).map(
            dest =>
              (dest as { destination?: { host?: unknown } })?.destination?.host,
          ),
        ),
      ),
    ];
  });
  index = { destinationRules, virtualServices };
  policyIndexes.set(data, index);
  return index;
}

/** The entity's services and workloads per cluster, from the snapshot's indexes. */
export function matchEntity(
  state: MeshSnapshotState,
  selector: EntitySelector,
): Map<string, ClusterObjects> {
  const { index } = state;
  const requirements = selector.labelSelector
    ? parseLabelSelector(selector.labelSelector)
    : undefined;

  let candidates: Map<string, ClusterObjects>;
  if (requirements) {
    const indexed = indexableRequirement(requirements);
    if (indexed) {
      candidates = index.withLabel(indexed.key, indexed.value);
    } else {
      // Only set-based or negative requirements: scan, within the namespace when one is given.
      candidates = new Map();
      for (const cluster of state.snapshot.clusters) {
        const objects: ClusterObjects = { services: [], workloads: [] };
        const spaces = selector.namespace
          ? [index.inNamespace(cluster.name, selector.namespace)]
          : [...index.namespaces(cluster.name).values()];
        for (const o of spaces) {
          objects.services.push(...o.services);
          objects.workloads.push(...o.workloads);
        }
        candidates.set(cluster.name, objects);
      }
    }
  } else if (selector.kubernetesId) {
    candidates = index.withLabel(KUBERNETES_ID_LABEL, selector.kubernetesId);
  } else {
    candidates = new Map();
  }

  const keep = (o: MeshService | MeshWorkload) =>
    (!selector.namespace || o.namespace === selector.namespace) &&
    (!requirements || matchesSelector(requirements, o.labels));

  const result = new Map<string, ClusterObjects>();
  for (const [cluster, objects] of candidates) {
    const services = objects.services.filter(keep);
    const workloads = objects.workloads.filter(keep);
    // Complete the pairs: the Service selecting a matched workload, the workloads a matched Service selects.
    for (const ns of new Set(
      [...services, ...workloads].map(o => o.namespace),
    )) {
      const inNs = index.inNamespace(cluster, ns);
      for (const svc of inNs.services) {
        if (
          !services.includes(svc) &&
          workloads.some(w => w.namespace === ns && selects(svc, w))
        ) {
          services.push(svc);
        }
      }
      for (const w of inNs.workloads) {
        if (
          !workloads.includes(w) &&
          services.some(svc => svc.namespace === ns && selects(svc, w))
        ) {
          workloads.push(w);
        }
      }
    }
    if (services.length > 0 || workloads.length > 0)
      result.set(cluster, { services, workloads });
  }
  return result;
}

function selects(service: MeshService, workload: MeshWorkload): boolean {
  const selector = Object.entries(service.selector);
  return (
    selector.length > 0 && selector.every(([k, v]) => workload.labels[k] === v)
  );
}

function clusterView(
  cluster: ClusterSnapshot,
  objects: ClusterObjects,
  selector: EntitySelector,
): EntityClusterView {
  const data = cluster.data;
  const nsNames = new Set(
    [...objects.services, ...objects.workloads].map(o => o.namespace),
  );
  if (
    selector.namespace &&
    nsNames.size === 0 &&
    data?.namespaces.some(n => n.name === selector.namespace)
  ) {
    nsNames.add(selector.namespace);
  }
  const namespaces = [...nsNames].sort().map(name => {
    const ns = data?.namespaces.find(n => n.name === name);
    return {
      name,
      onboarded: ns?.onboarded ?? false,
      ...(ns?.revision ? { revision: ns.revision } : {}),
    };
  });
  return {
    cluster: cluster.name,
    status: cluster.status,
    ...(cluster.lastSyncedAt ? { lastSyncedAt: cluster.lastSyncedAt } : {}),
    ...(cluster.region ? { region: cluster.region } : {}),
    ...(cluster.network ? { network: cluster.network } : {}),
    namespaces,
    services: objects.services,
    workloads: objects.workloads,
    sidecarCoverage: {
      pods: objects.workloads.reduce((n, w) => n + w.pods, 0),
      withSidecar: objects.workloads.reduce((n, w) => n + w.podsWithSidecar, 0),
    },
    mtlsMode: data
      ? weakestMtls(data, objects, [...nsNames])
      : 'PERMISSIVE (default)',
    ...withProxySync(entityProxySync(data, objects.workloads)),
  };
}

/** One mode per cluster: the weakest among the entity's workloads (or namespaces), since that is what is exposed. */
function weakestMtls(
  data: ClusterMeshData,
  objects: ClusterObjects,
  namespaces: string[],
): MtlsView {
  const modes: MtlsView[] =
    objects.workloads.length > 0
      ? objects.workloads.map(
          w => effectiveMtlsMode(data, w.namespace, w.labels) as MtlsView,
        )
      : namespaces.map(ns => effectiveMtlsMode(data, ns) as MtlsView);
  if (modes.length === 0) return effectiveMtlsMode(data, '') as MtlsView;
  return modes.reduce((weakest, m) =>
    (MTLS_STRENGTH[m] ?? 1) < (MTLS_STRENGTH[weakest] ?? 1) ? m : weakest,
  );
}

function applicablePolicies(
  data: ClusterMeshData,
  objects: ClusterObjects,
  namespaces: Set<string>,
): PolicyResource[] {
  const index = policyIndex(data);
  const candidates = (
    of: (name: string) => PolicyResource[],
    all: PolicyResource[],
  ) => {
    if (objects.services.length === 1) return of(objects.services[0].name);
    const picked = new Set(objects.services.flatMap(s => of(s.name)));
    return all.filter(p => picked.has(p));
  };
  return [
    ...candidates(index.destinationRules, data.destinationRules).filter(dr =>
      objects.services.some(s => destinationRuleApplies(dr, s)),
    ),
    ...candidates(index.virtualServices, data.virtualServices).filter(vs =>
      objects.services.some(s => virtualServiceApplies(vs, s)),
    ),
    ...data.peerAuthentications.filter(pa =>
      peerAuthenticationApplies(pa, namespaces, objects.workloads),
    ),
  ];
}

const policyKeys = new WeakMap<PolicyResource, string>();

/** Identifies a policy and its spec; equal policies of different clusters are often one shared object. */
function policyKey(policy: PolicyResource): string {
  let key = policyKeys.get(policy);
  if (key === undefined) {
    key = `${policy.kind}/${policy.namespace}/${policy.name}/${stableStringify(
      policy.spec,
    )}`;
    policyKeys.set(policy, key);
  }
  return key;
}

/** JSON with sorted keys, so equal specs read from different clusters merge into one entry. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${stableStringify(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withProxySync(proxySync: EntityProxySync | undefined) {
  return proxySync ? { proxySync } : {};
}
