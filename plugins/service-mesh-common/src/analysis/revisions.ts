/*
 * Which istiod revision injects a namespace's pods, as the injection webhooks decide it
 * (manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml):
 * - `istio-injection=enabled` is matched by the default revision's `namespace.` webhook, and wins over
 *   `istio.io/rev` (the revision webhooks require istio-injection to be absent; both set is MESH060);
 *   `istio-injection=disabled` (or any other value) matches no webhook;
 * - `istio.io/rev=<name>` is matched by the `rev.namespace.` webhook of the revision `<name>`, or of the revision
 *   tag `<name>`: `istioctl tag set <tag> --revision <rev>` installs a MutatingWebhookConfiguration labelled
 *   `istio.io/tag=<tag>` and `istio.io/rev=<rev>` whose webhooks match `istio.io/rev=<tag>` and send the pods to
 *   `<rev>`'s istiod (istioctl/pkg/tag/generate.go generateMutatingWebhook, util.go GetWebhookRevision);
 * - a tag and a revision never share a name (generate.go checkTagNameCollidesWithRevisionName), except
 *   `default`: `istioctl tag set default` makes every webhook of the default revision never match
 *   (util.go DeactivateIstioInjectionWebhook), so the `default` tag wins over a revision named `default`, for
 *   `istio-injection=enabled` and `istio.io/rev=default` alike.
 * Every place that reads a revision (MESH002, MESH061, MESH063, the entity view, the onboarding action and its
 * form field) resolves it here.
 */
import { LABELS } from '../constants';
import type { ControlPlane, RevisionTag } from '../types/snapshot';

export const DEFAULT_REVISION = 'default';

/**
 * Whether pods of a namespace with these labels get a sidecar, and which revision (or tag) the labels ask for.
 * Alauda's `cpaas.io/serviceMesh=enabled` marks the namespace as managed and comes with `istio.io/rev`.
 */
export function namespaceInjection(labels: Record<string, string>): {
  onboarded: boolean;
  revision?: string;
} {
  const legacy = labels[LABELS.injection];
  if (legacy !== undefined) {
    // Only `enabled` matches the default webhook; any other value matches none (and hides istio.io/rev).
    return legacy === 'enabled'
      ? { onboarded: true, revision: DEFAULT_REVISION }
      : { onboarded: false };
  }
  const revision = labels[LABELS.revision] || undefined;
  if (revision) return { onboarded: true, revision };
  if (labels[LABELS.alaudaServiceMesh] === 'enabled')
    return { onboarded: true };
  return { onboarded: false };
}

/** The istiod Deployments of a cluster (or just their revisions) and its revision tags. */
export interface RevisionData<
  CP extends Pick<ControlPlane, 'revision'> = ControlPlane,
> {
  controlPlanes?: readonly CP[];
  revisionTags?: readonly RevisionTag[];
}

export interface ResolvedRevision<
  CP extends Pick<ControlPlane, 'revision'> = ControlPlane,
> {
  /** What the labels ask for: a revision or a tag. */
  requested: string;
  /** The revision that injects: `requested` itself, or the tag's target (absent: the tag's webhook names none). */
  revision?: string;
  /** The tag it went through. */
  tag?: RevisionTag;
  /** The istiod Deployments of that revision in the cluster (empty: none runs there). */
  controlPlanes: CP[];
}

/** The tag webhook for `name` (the first by webhook name when a tag was installed twice). */
export function revisionTag(
  data: Pick<RevisionData, 'revisionTags'>,
  name: string,
): RevisionTag | undefined {
  return [...(data.revisionTags ?? [])]
    .sort((a, b) =>
      a.webhook < b.webhook ? -1 : Number(a.webhook > b.webhook),
    )
    .find(t => t.tag === name);
}

/** Resolves a revision name or tag in one cluster (see the file comment for the order). */
export function resolveRevision<CP extends Pick<ControlPlane, 'revision'>>(
  data: RevisionData<CP>,
  requested: string,
): ResolvedRevision<CP> {
  const planes = (revision: string) =>
    (data.controlPlanes ?? []).filter(cp => cp.revision === revision);
  const tag = revisionTag(data, requested);
  const direct = planes(requested);
  if (tag && (requested === DEFAULT_REVISION || direct.length === 0)) {
    return {
      requested,
      ...(tag.revision ? { revision: tag.revision } : {}),
      tag,
      controlPlanes: tag.revision ? planes(tag.revision) : [],
    };
  }
  return { requested, revision: requested, controlPlanes: direct };
}

/** What a namespace's labels resolve to in one cluster; undefined when they ask for no revision. */
export function namespaceRevision<CP extends Pick<ControlPlane, 'revision'>>(
  data: RevisionData<CP>,
  labels: Record<string, string>,
): ResolvedRevision<CP> | undefined {
  const requested = namespaceInjection(labels).revision;
  return requested ? resolveRevision(data, requested) : undefined;
}

/** The names a namespace may use for injection in a cluster: its revisions and its tags that point at one. */
export function injectableRevisionNames(
  data: RevisionData<Pick<ControlPlane, 'revision'>>,
): string[] {
  const names = new Set((data.controlPlanes ?? []).map(cp => cp.revision));
  for (const t of data.revisionTags ?? [])
    if (resolveRevision(data, t.tag).controlPlanes.length > 0) names.add(t.tag);
  return [...names].sort();
}

/** `1-22`, or `prod (tag → 1-22)`: for messages and views. */
export function describeRevision(
  r: ResolvedRevision<Pick<ControlPlane, 'revision'>>,
): string {
  if (!r.tag) return r.requested;
  return `${r.requested} (tag → ${r.revision ?? 'no revision'})`;
}
