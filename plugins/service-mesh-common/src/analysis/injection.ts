/*
 * Which pods Istio's sidecar injector injects: a port of pkg/kube/inject/inject.go injectRequired, which the
 * injection webhook (pkg/kube/inject/webhook.go Webhook.inject) asks for every pod it is called for. A pod without
 * a sidecar that the injector would skip is not missing one (MESH063 counts only the others):
 * - `spec.hostNetwork` pods are skipped (iptables would change the node's routing);
 * - pods in the ignored namespaces (inject/initializer.go IgnoredNamespaces) are skipped;
 * - `sidecar.istio.io/inject` decides when it is `true` or `false`: the label, else the annotation (the label
 *   wins when both are set); any other value is a warning and falls back to the default;
 * - otherwise the injector config's `neverInjectSelector` (first) and `alwaysInjectSelector` decide by pod labels
 *   (an empty or invalid selector is ignored);
 * - otherwise the config's `policy`: `enabled` injects, `disabled` does not, anything else disables injection.
 */
import {
  labelSelectorAsRequirements,
  labelSelectorMatches,
} from '../labels/labelSelector';
import type {
  ClusterMeshData,
  InjectorConfig,
  LabelSelectorSpec,
  MeshWorkload,
  UninjectedPods,
} from '../types/snapshot';
import { DEFAULT_REVISION } from './revisions';

/** inject/initializer.go IgnoredNamespaces. */
export const INJECTOR_IGNORED_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
];

/** Why the injector leaves pods alone (undefined: it injects them). */
export type InjectionSkip =
  | 'hostNetwork'
  | 'ignoredNamespace'
  | 'optedOut'
  | 'neverInjectSelector'
  | 'policyDisabled';

/** The injector's config when the cluster holds none for the revision: Istio's default (policy enabled). */
const DEFAULT_CONFIG: Pick<
  InjectorConfig,
  'policy' | 'neverInjectSelector' | 'alwaysInjectSelector'
> = { policy: 'enabled', neverInjectSelector: [], alwaysInjectSelector: [] };

function selects(selector: LabelSelectorSpec, labels: Record<string, string>) {
  try {
    const requirements = labelSelectorAsRequirements(selector);
    // `!selector.Empty() && selector.Matches(…)`: an empty selector selects nothing here.
    return (
      requirements.length > 0 && labelSelectorMatches(requirements, labels)
    );
  } catch {
    // "Invalid selector for NeverInjectSelector/AlwaysInjectSelector": logged and skipped.
    return false;
  }
}

/** injectRequired for pods of `namespace` that look like `pods`; undefined means the injector injects them. */
export function injectionSkip(
  pods: Pick<
    UninjectedPods,
    'hostNetwork' | 'injectLabel' | 'injectAnnotation' | 'labels'
  >,
  namespace: string,
  config?: Pick<
    InjectorConfig,
    'policy' | 'neverInjectSelector' | 'alwaysInjectSelector'
  >,
): InjectionSkip | undefined {
  if (pods.hostNetwork) return 'hostNetwork';
  if (INJECTOR_IGNORED_NAMESPACES.includes(namespace))
    return 'ignoredNamespace';
  const effective = config ?? DEFAULT_CONFIG;
  const objectSelector =
    pods.injectLabel !== undefined ? pods.injectLabel : pods.injectAnnotation;
  if (objectSelector === 'true') return undefined;
  if (objectSelector === 'false') return 'optedOut';
  const labels = pods.labels ?? {};
  if ((effective.neverInjectSelector ?? []).some(s => selects(s, labels)))
    return 'neverInjectSelector';
  if ((effective.alwaysInjectSelector ?? []).some(s => selects(s, labels)))
    return undefined;
  return effective.policy === 'enabled' ? undefined : 'policyDisabled';
}

/** The injector config of a revision: ConfigMap `istio-sidecar-injector` (default) or `istio-sidecar-injector-<rev>`. */
export function injectorConfigFor(
  data: Pick<ClusterMeshData, 'injectors'>,
  revision: string | undefined,
): InjectorConfig | undefined {
  const rev = revision ?? DEFAULT_REVISION;
  return (data.injectors ?? []).find(i => i.revision === rev);
}

/** A workload's pods without a sidecar that the injector would have injected, and those it skips, by reason. */
export function missingSidecars(
  workload: Pick<MeshWorkload, 'namespace' | 'uninjected'>,
  config: InjectorConfig | undefined,
): { missing: number; skipped: Partial<Record<InjectionSkip, number>> } {
  let missing = 0;
  const skipped: Partial<Record<InjectionSkip, number>> = {};
  for (const group of workload.uninjected ?? []) {
    const skip = injectionSkip(group, workload.namespace, config);
    if (skip) skipped[skip] = (skipped[skip] ?? 0) + group.pods;
    else missing += group.pods;
  }
  return { missing, skipped };
}
