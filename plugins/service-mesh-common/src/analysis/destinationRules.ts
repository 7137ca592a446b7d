/*
 * Which DestinationRule a client's sidecar applies to a service host, as istiod computes it:
 * - pilot/pkg/model/push_context.go setDestinationRules: rules sorted by sortConfigBySelectorAndCreationTime
 *   (rules with a workloadSelector first, then oldest first, then name, then namespace), hosts resolved with
 *   ResolveShortnameToFQDN, each rule indexed in its namespace's local pool (exportTo empty, `*`, `.` or its own
 *   namespace), in its namespace's exported pool (unless private only: exportTo just `.`/its namespace, or empty
 *   with a mesh default of `.`), and in the root namespace's private pool;
 * - pilot/pkg/model/destination_rule.go mergeDestinationRule: rules for the same host in one pool are merged
 *   (subsets concatenated, unique by name; the top-level trafficPolicy of the first rule that has one), except
 *   that rules with different workload selectors stay apart, and (ENABLE_ENHANCED_DESTINATIONRULE_MERGE, on by
 *   default) rules with different exportTo stay apart;
 * - push_context.go destinationRule + getExportedDestinationRuleFromNamespace: a client in namespace C looks in
 *   C's local pool, then in the service namespace's exported pool, then in the root namespace's exported pool,
 *   taking the most specific host (MostSpecificHostMatch) and keeping exported rules visible to C;
 * - pilot/pkg/model/sidecar.go SidecarScope.DestinationRule: of that list, the first rule of C whose
 *   workloadSelector matches the client's labels, else the (last) rule without a selector.
 * Rules synthesized from Gateway API backend policies are not in the snapshot, so their merge rule is left out.
 */
import { matchLabelsSubsetOf } from '../labels/labelSelector';
import type { PolicyClients } from '../types/api';
import type {
  ClusterMeshData,
  MeshConfigInfo,
  PolicyResource,
} from '../types/snapshot';
import {
  asArray,
  asRecord,
  asString,
  asStringArray,
  asStringRecord,
  compareStrings,
  isRecord,
} from '../util/guards';
import {
  hostSubsetOf,
  isWildcardHost,
  mostSpecificHostMatch,
  resolveShortnameToFqdn,
  serviceHost,
} from './hosts';
import { meshSettings } from './meshSettings';
import { perClusterData } from './perClusterData';

/** exportTo values (pkg/config/visibility). */
export const EXPORT_PUBLIC = '*';
export const EXPORT_PRIVATE = '.';

/** The mesh config settings DestinationRule selection depends on. */
export interface DestinationRuleSettings {
  /** meshConfig.rootNamespace (Istio's default: istio-system). */
  rootNamespace: string;
  /** meshConfig.defaultDestinationRuleExportTo (Istio's default: `*`). */
  defaultExportTo: string[];
}

/** The settings of the cluster's mesh config (meshSettings). */
export function destinationRuleSettings(
  meshConfigs: MeshConfigInfo[] | undefined,
): DestinationRuleSettings {
  const settings = meshSettings(meshConfigs);
  return {
    rootNamespace: settings.rootNamespace,
    defaultExportTo: settings.defaultDestinationRuleExportTo,
  };
}

/** One rule as istiod applies it: possibly several DestinationRules for one host, merged. */
export interface ConsolidatedDestinationRule {
  /** The resolved host the rules name. */
  host: string;
  /** Namespace of the rules (a merge happens within one namespace's pool). */
  namespace: string;
  /** The merged spec: the first rule's, with the later rules' new subsets and, if it had none, a traffic policy. */
  spec: Record<string, unknown>;
  /** The rules merged into it, in Istio's order (the first is the one it started from). */
  from: PolicyResource[];
  /** The rule whose top-level trafficPolicy it carries, if any has one. */
  trafficPolicyFrom?: PolicyResource;
  /** matchLabels of the workloadSelector, when the rules apply to selected client workloads only. */
  workloadSelector?: Record<string, string>;
  exportTo: ReadonlySet<string>;
}

interface Pool {
  specific: Map<string, ConsolidatedDestinationRule[]>;
  wildcard: Map<string, ConsolidatedDestinationRule[]>;
}

interface IndexedRule {
  rule: PolicyResource;
  host: string;
  selector?: Record<string, string>;
  exportTo: Set<string>;
}

export interface DestinationRuleIndex {
  settings: DestinationRuleSettings;
  namespaceLocal: Map<string, Pool>;
  exportedByNamespace: Map<string, Pool>;
  rootNamespaceLocal: Pool;
  /** Every valid rule by resolved host, exact and wildcard: finds the namespaces that matter for one service. */
  byHost: Map<string, IndexedRule[]>;
  wildcardByHost: Map<string, IndexedRule[]>;
}

const emptyPool = (): Pool => ({ specific: new Map(), wildcard: new Map() });

function poolOf(pools: Map<string, Pool>, namespace: string): Pool {
  let pool = pools.get(namespace);
  if (!pool) {
    pool = emptyPool();
    pools.set(namespace, pool);
  }
  return pool;
}

function time(rule: PolicyResource): number {
  const t = Date.parse(asString(rule.creationTimestamp) ?? '');
  // Go's zero time sorts before every real timestamp.
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** push_context.go sortConfigBySelectorAndCreationTime. */
function compareRules(a: IndexedRule, b: IndexedRule): number {
  if (a.selector && !b.selector) return -1;
  if (!a.selector && b.selector) return 1;
  const ta = time(a.rule);
  const tb = time(b.rule);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (
    compareStrings(a.rule.name, b.rule.name) ||
    compareStrings(a.rule.namespace, b.rule.namespace)
  );
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) =>
  a.size === b.size && [...a].every(v => b.has(v));
const supersetOf = (a: ReadonlySet<string>, b: ReadonlySet<string>) =>
  [...b].every(v => a.has(v));
const sameLabels = (
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
) => {
  const ea = Object.entries(a ?? {});
  return (
    ea.length === Object.keys(b ?? {}).length &&
    ea.every(([k, v]) => (b ?? {})[k] === v)
  );
};

function consolidated(r: IndexedRule): ConsolidatedDestinationRule {
  const spec = r.rule.spec;
  return {
    host: r.host,
    namespace: r.rule.namespace,
    spec: { ...spec, subsets: asArray(spec.subsets).filter(isRecord) },
    from: [r.rule],
    ...(isRecord(spec.trafficPolicy) ? { trafficPolicyFrom: r.rule } : {}),
    ...(r.selector ? { workloadSelector: r.selector } : {}),
    exportTo: r.exportTo,
  };
}

/** destination_rule.go mergeDestinationRule (user-authored rules; enhanced merge on). */
function mergeInto(pool: Pool, r: IndexedRule): void {
  const rules = isWildcardHost(r.host) ? pool.wildcard : pool.specific;
  const existing = rules.get(r.host);
  if (!existing) {
    rules.set(r.host, [consolidated(r)]);
    return;
  }
  let appendSeparately = true;
  for (const mdr of existing) {
    if (sameSet(r.exportTo, mdr.exportTo)) appendSeparately = false;
    else if (mdr.exportTo.size > 0 && supersetOf(r.exportTo, mdr.exportTo))
      appendSeparately = true;
    else {
      appendSeparately = true;
      continue;
    }
    const bothWithout = !r.selector && !mdr.workloadSelector;
    const bothWith = !!r.selector && !!mdr.workloadSelector;
    const selectorsMatch = sameLabels(mdr.workloadSelector, r.selector);
    if (bothWith && !selectorsMatch) {
      appendSeparately = true;
      continue;
    }
    if (bothWithout || (bothWith && selectorsMatch)) appendSeparately = false;

    mdr.from = [...mdr.from, r.rule];
    const names = new Set(
      asArray(mdr.spec.subsets).map(s => asString(asRecord(s).name)),
    );
    const added = asArray(r.rule.spec.subsets)
      .filter(isRecord)
      .filter(s => !names.has(asString(s.name)));
    mdr.spec = {
      ...mdr.spec,
      subsets: [...asArray(mdr.spec.subsets), ...added],
    };
    if (
      !isRecord(mdr.spec.trafficPolicy) &&
      isRecord(r.rule.spec.trafficPolicy)
    ) {
      mdr.spec = { ...mdr.spec, trafficPolicy: r.rule.spec.trafficPolicy };
      mdr.trafficPolicyFrom = r.rule;
    }
  }
  if (appendSeparately) existing.push(consolidated(r));
}

function indexedRule(value: unknown): IndexedRule | undefined {
  if (!isRecord(value) || !isRecord(value.spec)) return undefined;
  const rule = value as unknown as PolicyResource;
  if (typeof rule.namespace !== 'string' || typeof rule.name !== 'string')
    return undefined;
  const written = asString(rule.spec.host);
  if (!written) return undefined;
  const host = resolveShortnameToFqdn(written, rule.namespace);
  if (!host) return undefined;
  const selector = isRecord(rule.spec.workloadSelector)
    ? asStringRecord(rule.spec.workloadSelector.matchLabels)
    : undefined;
  // Rules with a workloadSelector are never exported (setDestinationRules).
  const exportTo = selector
    ? new Set([EXPORT_PRIVATE])
    : new Set(asStringArray(rule.spec.exportTo));
  return { rule, host, selector, exportTo };
}

/** push_context.go setDestinationRules over the rules of one cluster. */
export function buildDestinationRuleIndex(
  rules: unknown,
  settings: DestinationRuleSettings,
): DestinationRuleIndex {
  const index: DestinationRuleIndex = {
    settings,
    namespaceLocal: new Map(),
    exportedByNamespace: new Map(),
    rootNamespaceLocal: emptyPool(),
    byHost: new Map(),
    wildcardByHost: new Map(),
  };
  const defaultPrivate = settings.defaultExportTo.includes(EXPORT_PRIVATE);
  const sorted = asArray(rules)
    .map(indexedRule)
    .filter((r): r is IndexedRule => r !== undefined)
    .sort(compareRules);
  for (const r of sorted) {
    const ns = r.rule.namespace;
    const byHost = isWildcardHost(r.host) ? index.wildcardByHost : index.byHost;
    byHost.set(r.host, [...(byHost.get(r.host) ?? []), r]);

    const e = r.exportTo;
    if (
      e.size === 0 ||
      e.has(EXPORT_PUBLIC) ||
      e.has(EXPORT_PRIVATE) ||
      e.has(ns)
    ) {
      mergeInto(poolOf(index.namespaceLocal, ns), r);
    }
    const privateOnly =
      (e.size === 0 && defaultPrivate) ||
      (e.size === 1 && (e.has(EXPORT_PRIVATE) || e.has(ns)));
    if (!privateOnly) mergeInto(poolOf(index.exportedByNamespace, ns), r);
    else if (ns === settings.rootNamespace)
      mergeInto(index.rootNamespaceLocal, r);
  }
  return index;
}

/**
 * The index of one cluster's DestinationRules, built once per cluster data object, so a request costs a lookup,
 * not a pass over every rule.
 */
export const destinationRuleIndex = perClusterData(d =>
  buildDestinationRuleIndex(
    d.destinationRules,
    destinationRuleSettings(d.meshConfigs),
  ),
);

function lookup(
  pool: Pool | undefined,
  host: string,
): ConsolidatedDestinationRule[] | undefined {
  return pool
    ? mostSpecificHostMatch(host, pool.specific, pool.wildcard)?.value
    : undefined;
}

function exported(
  index: DestinationRuleIndex,
  owningNamespace: string,
  host: string,
  clientNamespace: string,
): ConsolidatedDestinationRule[] {
  const found = lookup(index.exportedByNamespace.get(owningNamespace), host);
  return (found ?? []).filter(
    r =>
      r.exportTo.size === 0 ||
      r.exportTo.has(EXPORT_PUBLIC) ||
      r.exportTo.has(clientNamespace),
  );
}

export interface ServiceRef {
  namespace: string;
  name: string;
}

/**
 * push_context.go destinationRule: the candidate rules for a client namespace and a host of a service in
 * `serviceNamespace`.
 */
export function destinationRulesForHost(
  index: DestinationRuleIndex,
  clientNamespace: string,
  host: string,
  serviceNamespace: string,
): ConsolidatedDestinationRule[] {
  const root = index.settings.rootNamespace;
  const local =
    clientNamespace !== root
      ? lookup(index.namespaceLocal.get(clientNamespace), host)
      : lookup(index.rootNamespaceLocal, host);
  if (local) return local;
  const fromService = exported(index, serviceNamespace, host, clientNamespace);
  if (fromService.length > 0) return fromService;
  return exported(index, root, host, clientNamespace);
}

/** destinationRulesForHost for a Kubernetes Service. */
export function destinationRulesFor(
  index: DestinationRuleIndex,
  clientNamespace: string,
  service: ServiceRef,
): ConsolidatedDestinationRule[] {
  return destinationRulesForHost(
    index,
    clientNamespace,
    serviceHost(service),
    service.namespace,
  );
}

/** A client of a service: its namespace and, when known, its workload's labels. */
export interface DestinationRuleClient {
  namespace: string;
  labels?: Record<string, string>;
}

/**
 * sidecar.go SidecarScope.DestinationRule (outbound): the rule a client's sidecar applies to the service, or
 * undefined (Istio's defaults). A client without labels matches no workloadSelector.
 */
export function destinationRuleForClient(
  index: DestinationRuleIndex,
  client: DestinationRuleClient,
  service: ServiceRef,
): ConsolidatedDestinationRule | undefined {
  let catchAll: ConsolidatedDestinationRule | undefined;
  for (const rule of destinationRulesFor(index, client.namespace, service)) {
    if (!rule.workloadSelector) catchAll = rule;
    else if (
      client.labels &&
      rule.namespace === client.namespace &&
      matchLabelsSubsetOf(rule.workloadSelector, client.labels)
    ) {
      return rule;
    }
  }
  return catchAll;
}

/**
 * The rule that holds for "the" traffic to a service where one answer is needed (the simulator, the checks):
 * a client in the service's own namespace without a workload-specific rule.
 */
export function serviceDestinationRule(
  data: ClusterMeshData,
  service: ServiceRef,
): ConsolidatedDestinationRule | undefined {
  return destinationRuleForClient(
    destinationRuleIndex(data),
    { namespace: service.namespace },
    service,
  );
}

/**
 * Of the rules merged into one, the rule that wrote a part of the merged spec, named as destinationRuleSpec's
 * trafficPolicies names it: `trafficPolicy…` comes from trafficPolicyFrom, `subsets[name]…` from the first rule
 * with that subset (later duplicates are dropped by the merge).
 */
export function ruleDefining(
  rule: ConsolidatedDestinationRule,
  where: string,
): PolicyResource {
  const subset = /^subsets\[(.*?)\]/.exec(where)?.[1];
  if (subset === undefined) return rule.trafficPolicyFrom ?? rule.from[0];
  return (
    rule.from.find(r =>
      asArray(r.spec.subsets).some(s => asString(asRecord(s).name) === subset),
    ) ?? rule.from[0]
  );
}

export interface DestinationRuleInForce {
  rule: ConsolidatedDestinationRule;
  clients: PolicyClients;
}

/** Stands for a namespace that no rule names: its clients see what every unnamed namespace sees. */
const ANY_OTHER_NAMESPACE = '\u0000other';

/**
 * Every DestinationRule in force for traffic to a service, with the clients it applies to: the answer of
 * destinationRuleForClient for every client that can get a different one. Only namespaces named by a rule that
 * can match the service (its own, its exportTo) and the service's and root namespaces can differ; every other
 * namespace gets what ANY_OTHER_NAMESPACE gets. The service's own namespace comes first.
 */
export function destinationRulesInForce(
  index: DestinationRuleIndex,
  service: ServiceRef,
): DestinationRuleInForce[] {
  const host = serviceHost(service);
  const candidates: IndexedRule[] = [...(index.byHost.get(host) ?? [])];
  for (const [pattern, rules] of index.wildcardByHost) {
    if (hostSubsetOf(host, pattern)) candidates.push(...rules);
  }
  const namespaces = new Set([service.namespace, index.settings.rootNamespace]);
  for (const r of candidates) {
    namespaces.add(r.rule.namespace);
    for (const e of r.exportTo)
      if (e !== EXPORT_PUBLIC && e !== EXPORT_PRIVATE) namespaces.add(e);
  }

  // The local and the exported pool hold equal copies of a merged rule: one entry per merge of the same rules.
  const byRule = new Map<
    string,
    {
      rule: ConsolidatedDestinationRule;
      namespaces: Set<string>;
      selector?: Record<string, string>;
    }
  >();
  const add = (rule: ConsolidatedDestinationRule, namespace: string) => {
    const key = `${rule.from
      .map(r => `${r.namespace}/${r.name}`)
      .join('|')}#${JSON.stringify(rule.workloadSelector ?? null)}`;
    const entry = byRule.get(key) ?? {
      rule,
      namespaces: new Set<string>(),
      ...(rule.workloadSelector ? { selector: rule.workloadSelector } : {}),
    };
    entry.namespaces.add(namespace === ANY_OTHER_NAMESPACE ? '*' : namespace);
    byRule.set(key, entry);
  };
  for (const namespace of [...namespaces, ANY_OTHER_NAMESPACE]) {
    let catchAll: ConsolidatedDestinationRule | undefined;
    for (const rule of destinationRulesFor(index, namespace, service)) {
      if (!rule.workloadSelector) catchAll = rule;
      else if (rule.namespace === namespace) add(rule, namespace);
    }
    if (catchAll) add(catchAll, namespace);
  }

  const rank = (clients: PolicyClients) =>
    clients.namespaces.includes(service.namespace) && !clients.workloadSelector
      ? 0
      : 1;
  return [...byRule.values()]
    .map(({ rule, namespaces: ns, selector }) => ({
      rule,
      clients: {
        namespaces: [...ns].sort(compareStrings),
        ...(selector ? { workloadSelector: selector } : {}),
      },
    }))
    .sort(
      (a, b) =>
        rank(a.clients) - rank(b.clients) ||
        compareStrings(
          a.clients.namespaces.join(','),
          b.clients.namespaces.join(','),
        ) ||
        compareStrings(
          `${a.rule.namespace}/${a.rule.from[0].name}`,
          `${b.rule.namespace}/${b.rule.from[0].name}`,
        ),
    );
}
