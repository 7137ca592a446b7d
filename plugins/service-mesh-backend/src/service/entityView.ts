/*
 * The REST shape of one catalog entity's mesh view. The analysis (which objects belong to the entity, which
 * policies are in force, the mTLS mode, the simulator input) is in -common; this file reads the snapshot, calls
 * it, merges what equal clusters share, and keeps the simulations of a snapshot in a memo.
 */
import { entityProxySync } from './istiodViews';
import {
  buildSimulationInput,
  ClusterObjects,
  ClusterSnapshot,
  compareStrings,
  EndpointDistributionRow,
  EntityClusterView,
  EntityProxySync,
  EntityResponse,
  EntitySelector,
  EntityServiceSimulation,
  EntityTrafficPolicy,
  entityMtlsMode,
  entityPoliciesInForce,
  findingsForEntity,
  matchEntityObjects,
  meshReachability,
  MeshSnapshot,
  namespaceRevision,
  PolicyInForce,
  simulateLocality,
  stableStringify,
} from '@internal/plugin-service-mesh-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { MeshSnapshotState } from '../snapshot/MeshSnapshotService';

/** Bounds the response for an entity that matches a very wide selector. */
const MAX_SIMULATIONS = 25;

/** The entity's Services and workloads per cluster (throws LabelSelectorError for an invalid selector). */
export function matchEntity(
  state: MeshSnapshotState,
  selector: EntitySelector,
): Map<string, ClusterObjects> {
  return matchEntityObjects(
    state.index,
    state.snapshot.clusters.map(c => c.name),
    selector,
  );
}

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
    const inForce = entityPoliciesInForce(
      cluster.data,
      objects,
      view.namespaces.map(n => n.name),
    );
    for (const entry of inForce) {
      const key = policyKey(entry);
      const merged = policies.get(key) ?? trafficPolicy(entry);
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
        compareStrings(a.kind, b.kind) ||
        compareStrings(a.namespace, b.namespace) ||
        compareStrings(a.name, b.name),
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
    // The model of the whole snapshot (computed once per snapshot), not of the per-service copy.
    const input = buildSimulationInput(
      snapshot,
      service,
      undefined,
      meshReachability(snapshot),
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
  const namespaces = [...nsNames].sort(compareStrings).map(name => {
    const ns = data?.namespaces.find(n => n.name === name);
    const resolved =
      ns && data ? namespaceRevision(data, ns.labels) : undefined;
    return {
      name,
      onboarded: ns?.onboarded ?? false,
      ...(ns?.revision ? { revision: ns.revision } : {}),
      ...(resolved?.tag && resolved.revision
        ? { resolvedRevision: resolved.revision }
        : {}),
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
      ? entityMtlsMode(data, objects, [...nsNames])
      : 'PERMISSIVE (default)',
    ...withProxySync(entityProxySync(data, objects.workloads)),
  };
}

/** The response entry of a policy in force, without its cluster-specific creation time. */
function trafficPolicy(entry: PolicyInForce): EntityTrafficPolicy {
  const { kind, namespace, name, spec } = entry.policy;
  return {
    kind,
    namespace,
    name,
    spec,
    clusters: [],
    ...(entry.clients ? { clients: entry.clients } : {}),
    ...(entry.merge ? { merge: entry.merge } : {}),
  };
}

const specKeys = new WeakMap<object, string>();

/**
 * Identifies a policy in force: what it is, its spec and whom it applies to. Equal entries of different clusters
 * become one entry listing the clusters; specs are often one shared object, so their key is kept per object.
 */
function policyKey(entry: PolicyInForce): string {
  const { spec } = entry.policy;
  let specKey = specKeys.get(spec);
  if (specKey === undefined) {
    specKey = stableStringify(spec);
    specKeys.set(spec, specKey);
  }
  const { kind, namespace, name } = entry.policy;
  return `${kind}/${namespace}/${name}/${specKey}/${stableStringify(
    entry.clients ?? null,
  )}/${stableStringify(entry.merge ?? null)}`;
}

function withProxySync(proxySync: EntityProxySync | undefined) {
  return proxySync ? { proxySync } : {};
}
