/*
 * The PeerAuthentication mode in force for a namespace or workload. Istio semantics: a PeerAuthentication in the
 * root namespace (istio-system) without selector is mesh-wide, one in a namespace without selector is
 * namespace-wide, one with a selector is workload-wide; the most specific scope wins and UNSET inherits from the
 * next wider scope. With nothing set the mode is PERMISSIVE.
 */
import { ISTIO_SYSTEM_NAMESPACE } from '../constants';
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
  selectorMatches,
} from '../util/guards';

export type EffectiveMtlsMode = MtlsMode | 'PERMISSIVE (default)';

const MODES: MtlsMode[] = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

function modeOf(pa: PolicyResource): MtlsMode {
  const mode = asString(asRecord(asRecord(pa.spec).mtls).mode)?.toUpperCase();
  return MODES.find(m => m === mode) ?? 'UNSET';
}

function selectorOf(pa: PolicyResource): Record<string, string> | undefined {
  const labels = asStringRecord(
    asRecord(asRecord(pa.spec).selector).matchLabels,
  );
  return Object.keys(labels).length > 0 ? labels : undefined;
}

type Decision = { mode: EffectiveMtlsMode; source?: PolicyResource };

/** First decided policy of one scope, the list sorted by name (Istio uses the oldest; we use name order). */
function decided(
  sorted: Array<{ source: PolicyResource; mode: MtlsMode }>,
): Decision | undefined {
  return sorted.find(p => p.mode !== 'UNSET');
}

/**
 * A lookup of the mode in force and the PeerAuthentication that decides it (none: Istio's PERMISSIVE default),
 * indexing the cluster's PeerAuthentications once, for checks that resolve many workloads.
 */
export function mtlsPolicyResolver(
  data: ClusterMeshData,
): (namespace: string, workloadLabels?: Record<string, string>) => Decision {
  type Entry = {
    source: PolicyResource;
    mode: MtlsMode;
    selector?: Record<string, string>;
  };
  const byNamespace = new Map<string, Entry[]>();
  const valid = asArray(data?.peerAuthentications).filter(
    (p): p is PolicyResource =>
      typeof p === 'object' &&
      p !== null &&
      typeof (p as PolicyResource).namespace === 'string' &&
      typeof (p as PolicyResource).name === 'string',
  );
  for (const source of [...valid].sort((a, b) =>
    compareStrings(a.name, b.name),
  )) {
    const entry: Entry = {
      source,
      mode: modeOf(source),
      selector: selectorOf(source),
    };
    byNamespace.set(source.namespace, [
      ...(byNamespace.get(source.namespace) ?? []),
      entry,
    ]);
  }
  const root = decided(
    (byNamespace.get(ISTIO_SYSTEM_NAMESPACE) ?? []).filter(e => !e.selector),
  );
  return (namespace, workloadLabels) => {
    const inNamespace = byNamespace.get(namespace) ?? [];
    const workload = workloadLabels
      ? decided(
          inNamespace.filter(
            e =>
              e.selector !== undefined &&
              selectorMatches(e.selector, workloadLabels),
          ),
        )
      : undefined;
    return (
      workload ??
      decided(inNamespace.filter(e => !e.selector)) ??
      root ?? { mode: 'PERMISSIVE (default)' }
    );
  };
}

/** The mode in force and the PeerAuthentication that decides it (none: Istio's PERMISSIVE default). */
export function effectiveMtlsPolicy(
  data: ClusterMeshData,
  namespace: string,
  workloadLabels?: Record<string, string>,
): Decision {
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
