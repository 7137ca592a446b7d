/*
 * Revision names on one cluster, resolved as the injection webhooks resolve them (the one rule, in -common
 * analysis/revisions.ts): a name is a revision or a revision tag (`istioctl tag set`).
 */
import {
  resolveRevision,
  ResolvedRevision,
} from '@internal/plugin-service-mesh-common';
import type { ClusterState } from './types';

/** `name` resolved on the cluster of `state`. */
export function resolvedIn(
  state: Pick<ClusterState, 'revisions' | 'revisionTags'>,
  name: string,
): ResolvedRevision<{ revision: string }> {
  return resolveRevision(
    {
      controlPlanes: state.revisions.map(revision => ({ revision })),
      revisionTags: state.revisionTags ?? [],
    },
    name,
  );
}

/**
 * An existing `istio.io/rev` that already sends the namespace to the requested revision's istiod (a tag pointing
 * at it, or the revision itself): the namespace is onboarded on that revision, and its label is left alone.
 */
export function servesRevision(
  state: Pick<ClusterState, 'revisions' | 'revisionTags'>,
  existing: string,
  requested: string,
): boolean {
  if (existing === requested) return true;
  const have = resolvedIn(state, existing);
  const want = resolvedIn(state, requested);
  return (
    have.controlPlanes.length > 0 &&
    want.controlPlanes.length > 0 &&
    have.revision === want.revision
  );
}

/** The `istio.io/rev` values that send pods to the requested revision here: the revision and its tags. */
export function namesServing(
  state: Pick<ClusterState, 'revisions' | 'revisionTags'>,
  requested: string,
): string[] {
  return [
    requested,
    ...(state.revisionTags ?? [])
      .map(t => t.tag)
      .filter(t => t !== requested && servesRevision(state, t, requested)),
  ];
}
