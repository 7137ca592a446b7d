/*
 * Pure rules of the picker, shared by the component (inline messages) and the form validation: which clusters
 * can be picked, which revision to preselect, and what is wrong with a choice. The onboarding action checks the
 * same things again on the server against the live clusters.
 */
import type { OverviewResponse } from '@internal/plugin-service-mesh-common';
import { compareStrings } from '@internal/plugin-service-mesh-common';

/** The value of the field: the action's `clusters` and `revision` inputs. */
export interface MeshTarget {
  clusters: string[];
  revision: string;
}

/** A cluster the namespace can be onboarded on. */
export interface MeshMember {
  name: string;
  /** istiod revisions running there. */
  revisions: string[];
  /** Revision tags whose revision runs there (`istioctl tag set`): a namespace may use them too. */
  tags: Array<{ tag: string; revision: string }>;
  /** Snapshot status: a cluster that is not `ok` may fail the action's validation. */
  status: string;
}

/** What `istio.io/rev` may name on a cluster: its revisions and its tags that reach an istiod. */
export function injectableNames(member: MeshMember): string[] {
  return [...member.revisions, ...member.tags.map(t => t.tag)];
}

/** The mesh's member clusters (the management cluster holds no workloads and is never a target). */
export function meshMembers(overview: OverviewResponse): MeshMember[] {
  return overview.clusters
    .filter(c => c.role === 'member' && c.name !== overview.managementCluster)
    .map(c => ({
      name: c.name,
      revisions: [...(c.revisions ?? [])].sort(),
      // The backend resolved each tag with the one rule (-common resolveRevision); only usable ones are offered.
      tags: (c.revisionTags ?? [])
        .filter(t => t.runs && t.revision)
        .map(t => ({ tag: t.tag, revision: t.revision! }))
        .sort((a, b) => compareStrings(a.tag, b.tag)),
      status: c.status,
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
}

/**
 * Revisions running on at least one of the clusters, newest first (`1-22` before `1-9`), then the revision tags
 * there, by name.
 */
export function revisionOptions(
  members: MeshMember[],
  clusters: string[],
): string[] {
  const selected = members.filter(m => clusters.includes(m.name));
  const revisions = [...new Set(selected.flatMap(m => m.revisions))].sort(
    (a, b) => b.localeCompare(a, undefined, { numeric: true }),
  );
  const tags = [
    ...new Set(selected.flatMap(m => m.tags.map(t => t.tag))),
  ].filter(t => !revisions.includes(t));
  return [...revisions, ...tags.sort()];
}

/** The newest revision that runs on every one of the clusters, or undefined. */
export function commonRevision(
  members: MeshMember[],
  clusters: string[],
): string | undefined {
  const selected = members.filter(m => clusters.includes(m.name));
  if (selected.length === 0) return undefined;
  return revisionOptions(members, clusters).find(rev =>
    selected.every(m => injectableNames(m).includes(rev)),
  );
}

/** The choice the form starts with: every member, and their common revision. */
export function defaultTarget(members: MeshMember[]): MeshTarget {
  const clusters = members.map(m => m.name);
  return { clusters, revision: commonRevision(members, clusters) ?? '' };
}

/** Clusters of the choice where the revision does not run. */
export function clustersWithoutRevision(
  members: MeshMember[],
  target: MeshTarget,
): string[] {
  return members
    .filter(
      m =>
        target.clusters.includes(m.name) &&
        !injectableNames(m).includes(target.revision),
    )
    .map(m => m.name);
}

/** What is wrong with the choice, as messages for the form; empty when it is fine. */
export function meshTargetProblems(
  target: Partial<MeshTarget> | undefined,
  members?: MeshMember[],
): string[] {
  const clusters = target?.clusters ?? [];
  if (clusters.length === 0)
    return ['Select at least one cluster of the mesh.'];
  if (!target?.revision)
    return ['Select the Istio revision the namespace should use.'];
  if (!members) return [];
  const problems: string[] = [];
  const known = new Set(members.map(m => m.name));
  const unknown = clusters.filter(c => !known.has(c));
  if (unknown.length)
    problems.push(`Not a member cluster of the mesh: ${unknown.join(', ')}.`);
  const missing = clustersWithoutRevision(members, {
    clusters,
    revision: target.revision,
  });
  if (missing.length) {
    problems.push(
      `Revision ${target.revision} does not run on ${missing.join(', ')}: ` +
        `pick another revision or leave ${
          missing.length === 1 ? 'that cluster' : 'those clusters'
        } out.`,
    );
  }
  return problems;
}
