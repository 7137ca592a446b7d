/*
 * The shape of a finding code's one definition. Everything about a code that does not depend on the instance lives
 * here; the per-instance message and hint are computed by the check that reports it. The README table and the
 * pages under docs/findings/ are generated from these definitions (`yarn generate:findings`).
 *
 * Modelled on Istio's analyzer messages (pkg/config/analysis/msg/messages.yaml: name, code, level, description,
 * template), written as typed TypeScript instead of YAML + generated code.
 */

export type FindingSeverity = 'error' | 'warning' | 'info';

/**
 * Which findings concern a catalog entity (see analysis/entityFindings.ts):
 * - `cluster`: a problem of a whole cluster (control plane, gateways, trust, collection); relevant to every entity
 *   running in one of the finding's clusters, since it breaks their cross-cluster traffic too;
 * - `entity`: about a namespace, Service, workload or policy; relevant to the entity that owns it;
 * - `housekeeping`: breaks nobody's traffic (e.g. a stale remote secret); shown on the dashboard only.
 */
export type FindingScope = 'cluster' | 'entity' | 'housekeeping';

/** Where a finding of each scope is shown (the docs pages and the UI's finding docs say it this way). */
export const FINDING_SCOPE_DESCRIPTIONS: Readonly<
  Record<FindingScope, string>
> = {
  cluster: 'shown for every entity that runs in one of the clusters it names',
  entity:
    'shown for the entity that owns the namespace, Service, workload or policy',
  housekeeping: 'shown on the dashboard only',
};

export interface FindingReference {
  title: string;
  url: string;
}

export interface FindingDefinition {
  /** The usual severity; a check may raise or lower it for one instance (say when in `severityNote`). */
  severity: FindingSeverity;
  /** When an instance has another severity, e.g. `error with 0 ready`. */
  severityNote?: string;
  title: string;
  /** What it means, in plain text (shown in the UI's finding dialog and the README table). */
  description: string;
  scope: FindingScope;
  /** The general fix, in Markdown: commands with `<placeholders>`. Each finding's `hint` is the exact instance. */
  fix: string;
  docs: {
    /** The longer explanation for the docs page, in Markdown: why it breaks the mesh, how the check decides. */
    explanation: string;
    /** Istio, Envoy or Kubernetes documentation and source that the check follows. */
    references: FindingReference[];
  };
}

/** A group of codes: one README section and one heading of the docs index. */
export interface FindingCategory<Code extends string = string> {
  /** The file under definitions/ that holds it (without .ts). */
  id: string;
  title: string;
  /** A paragraph above the table (Markdown), when the group needs one. */
  intro?: string;
  codes: Record<Code, FindingDefinition>;
}

/** Keeps the literal code keys of a category while checking each definition. */
export function defineFindingCategory<Code extends `MESH${number}`>(
  category: FindingCategory<Code>,
): FindingCategory<Code> {
  return category;
}
