/*
 * The PeerAuthentication mode in force for a workload (or a namespace), as istiod composes it:
 * - pilot/pkg/model/authentication.go getConfigsForWorkload: the policies of the workload's namespace and of the
 *   root namespace whose selector (labels.Instance.SubsetOf) matches the workload's labels;
 * - pilot/pkg/security/authn/policy_applier.go ComposePeerAuthentication: of those, the oldest (creation time)
 *   without selector in the root namespace is mesh-wide, the oldest without selector elsewhere is namespace-wide,
 *   the oldest with a selector outside the root namespace is workload-wide (a root-namespace policy with a
 *   selector is ignored); the mode starts PERMISSIVE and each level that sets a mode (not UNSET) overrides the
 *   wider one; a workload policy's portLevelMtls overrides per port (UNSET there inherits the workload mode).
 * Ties in creation time go to the name (sortConfigByCreationTime: name, then namespace).
 */
import { matchLabelsSubsetOf } from '../labels/labelSelector';
import type {
  ClusterMeshData,
  MtlsMode,
  PolicyResource,
} from '../types/snapshot';
import {
  asArray,
  asRecord,
  asString,
  asStringRecord,
  compareStrings,
  isRecord,
} from '../util/guards';
import { meshSettings } from './meshSettings';
import { perClusterData } from './perClusterData';

export type EffectiveMtlsMode = MtlsMode | 'PERMISSIVE (default)';

const MODES: MtlsMode[] = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

function modeOf(value: unknown): MtlsMode {
  const mode = asString(asRecord(value).mode)?.toUpperCase();
  return MODES.find(m => m === mode) ?? 'UNSET';
}

/** The mode in force and where it comes from. */
export interface PeerAuthenticationDecision {
  mode: EffectiveMtlsMode;
  /** The policy whose mode is in force; none when Istio's PERMISSIVE default holds. */
  source?: PolicyResource;
  /** The policy istiod selected at each level (its mode may be UNSET, then the wider level's holds). */
  mesh?: PolicyResource;
  namespace?: PolicyResource;
  workload?: PolicyResource;
  /** portLevelMtls of the workload policy: port → mode. */
  perPort?: Record<string, MtlsMode>;
}

interface Entry {
  source: PolicyResource;
  /** undefined: no selector (or empty matchLabels), a namespace- or mesh-wide policy. */
  selector?: Record<string, string>;
}

function time(p: PolicyResource): number {
  const t = Date.parse(asString(p.creationTimestamp) ?? '');
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** pilot/pkg/model/config.go configCompareByCreationTime. */
function oldestFirst(a: PolicyResource, b: PolicyResource): number {
  const ta = time(a);
  const tb = time(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (
    compareStrings(a.name, b.name) || compareStrings(a.namespace, b.namespace)
  );
}

export type PeerAuthenticationResolver = (
  namespace: string,
  workloadLabels?: Record<string, string>,
) => PeerAuthenticationDecision;

/**
 * A lookup of the mode in force for a workload (labels given) or a namespace (no labels: only mesh- and
 * namespace-wide policies apply), indexing the cluster's PeerAuthentications once per cluster data object.
 */
export const mtlsPolicyResolver: (
  data: ClusterMeshData,
) => PeerAuthenticationResolver = perClusterData(buildResolver);

function buildResolver(
  data: Partial<ClusterMeshData>,
): PeerAuthenticationResolver {
  const { rootNamespace } = meshSettings(data?.meshConfigs);
  const byNamespace = new Map<string, Entry[]>();
  const valid = asArray(data?.peerAuthentications).filter(
    (p): p is PolicyResource =>
      isRecord(p) &&
      typeof p.namespace === 'string' &&
      typeof p.name === 'string',
  );
  for (const source of [...valid].sort(oldestFirst)) {
    const labels = asStringRecord(
      asRecord(asRecord(source.spec).selector).matchLabels,
    );
    const entry: Entry = {
      source,
      ...(Object.keys(labels).length > 0 ? { selector: labels } : {}),
    };
    byNamespace.set(source.namespace, [
      ...(byNamespace.get(source.namespace) ?? []),
      entry,
    ]);
  }
  const mesh = byNamespace.get(rootNamespace)?.find(e => !e.selector)?.source;

  return (namespace, workloadLabels) => {
    const inNamespace =
      namespace === rootNamespace ? [] : byNamespace.get(namespace) ?? [];
    const namespaceWide = inNamespace.find(e => !e.selector)?.source;
    const workload = workloadLabels
      ? inNamespace.find(
          e => e.selector && matchLabelsSubsetOf(e.selector, workloadLabels),
        )?.source
      : undefined;

    const decision: PeerAuthenticationDecision = {
      mode: 'PERMISSIVE (default)',
      ...(mesh ? { mesh } : {}),
      ...(namespaceWide ? { namespace: namespaceWide } : {}),
      ...(workload ? { workload } : {}),
    };
    for (const level of [mesh, namespaceWide, workload]) {
      const mode = level ? modeOf(asRecord(level.spec).mtls) : 'UNSET';
      if (level && mode !== 'UNSET') {
        decision.mode = mode;
        decision.source = level;
      }
    }
    const ports = asRecord(asRecord(workload?.spec).portLevelMtls);
    if (workload && Object.keys(ports).length > 0) {
      const inherited = mtlsBehaviour(decision.mode);
      decision.perPort = Object.fromEntries(
        Object.entries(ports).map(([port, mtls]) => {
          const mode = modeOf(mtls);
          return [port, mode === 'UNSET' ? inherited : mode];
        }),
      );
    }
    return decision;
  };
}

/** The mode in force and the PeerAuthentication that decides it (none: Istio's PERMISSIVE default). */
export function effectiveMtlsPolicy(
  data: ClusterMeshData,
  namespace: string,
  workloadLabels?: Record<string, string>,
): PeerAuthenticationDecision {
  return mtlsPolicyResolver(data)(namespace, workloadLabels);
}

export function effectiveMtlsMode(
  data: ClusterMeshData,
  namespace: string,
  workloadLabels?: Record<string, string>,
): EffectiveMtlsMode {
  return effectiveMtlsPolicy(data, namespace, workloadLabels).mode;
}

/** PERMISSIVE set explicitly and PERMISSIVE by default behave the same; compare modes with this. */
export function mtlsBehaviour(mode: EffectiveMtlsMode): MtlsMode {
  return mode === 'PERMISSIVE (default)' ? 'PERMISSIVE' : mode;
}

/** The PeerAuthentications istiod selected for a workload or namespace, widest first. */
export function peerAuthenticationsInForce(
  decision: PeerAuthenticationDecision,
): PolicyResource[] {
  return [decision.mesh, decision.namespace, decision.workload].filter(
    (p): p is PolicyResource => p !== undefined,
  );
}

const STRENGTH: Record<EffectiveMtlsMode, number> = {
  DISABLE: 0,
  UNSET: 1,
  'PERMISSIVE (default)': 1,
  PERMISSIVE: 1,
  STRICT: 2,
};

/**
 * The weakest mode among several decisions (an entity's workloads in one cluster): what a client can count on.
 * On a tie the first wins; none at all is Istio's default.
 */
export function weakestMtlsMode(modes: EffectiveMtlsMode[]): EffectiveMtlsMode {
  if (modes.length === 0) return 'PERMISSIVE (default)';
  return modes.reduce((weakest, m) =>
    (STRENGTH[m] ?? 1) < (STRENGTH[weakest] ?? 1) ? m : weakest,
  );
}
