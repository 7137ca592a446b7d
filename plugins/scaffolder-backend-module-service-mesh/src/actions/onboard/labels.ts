/*
 * Which labels onboard a namespace, and which existing labels contradict them. Istio picks the injector from
 * `istio-injection` before `istio.io/rev`, so a namespace must carry one scheme only (finding MESH060).
 */
import { LABELS } from '@internal/plugin-service-mesh-common';
import { LabelStyle } from './types';

const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';

/** The labels a namespace needs for the style; `revision` is required by every style but `injection`. */
export function desiredLabels(
  style: LabelStyle,
  revision: string | undefined,
): Record<string, string> {
  if (style === 'injection') return { [LABELS.injection]: 'enabled' };
  if (!revision) throw new Error(`label style '${style}' needs a revision`);
  if (style === 'revision') return { [LABELS.revision]: revision };
  return { [LABELS.alaudaServiceMesh]: 'enabled', [LABELS.revision]: revision };
}

/**
 * Existing labels that contradict the ones the style adds; each entry is a sentence for the error. Without a
 * revision (not resolved yet), an existing `istio.io/rev` is not compared.
 */
export function labelConflicts(
  existing: Record<string, string>,
  style: LabelStyle,
  revision: string | undefined,
  /** An existing istio.io/rev that serves the requested revision (a revision tag pointing at it) is no conflict. */
  servesRevision: (existing: string) => boolean = rev => rev === revision,
): string[] {
  const conflicts: string[] = [];
  const injection = existing[LABELS.injection];
  const rev = existing[LABELS.revision];

  if (injection !== undefined) {
    if (injection === 'disabled') {
      conflicts.push(
        `has ${LABELS.injection}=disabled (explicitly opted out of sidecar injection)`,
      );
    } else if (style !== 'injection') {
      conflicts.push(
        `has ${LABELS.injection}=${injection}, which takes precedence over ${LABELS.revision}; ` +
          `remove it or use label style 'injection'`,
      );
    } else if (injection !== 'enabled') {
      conflicts.push(`has ${LABELS.injection}=${injection}`);
    }
  }
  if (rev !== undefined) {
    if (style === 'injection') {
      conflicts.push(
        `has ${LABELS.revision}=${rev}; ${LABELS.injection} and ${LABELS.revision} must not both be set`,
      );
    } else if (revision && !servesRevision(rev)) {
      conflicts.push(
        `has ${LABELS.revision}=${rev}, not the requested revision ${revision}`,
      );
    }
  }
  const alauda = existing[LABELS.alaudaServiceMesh];
  if (style === 'alauda' && alauda !== undefined && alauda !== 'enabled') {
    conflicts.push(`has ${LABELS.alaudaServiceMesh}=${alauda}`);
  }
  if (existing[DATAPLANE_MODE_LABEL] === 'ambient') {
    conflicts.push(
      `is in ambient mode (${DATAPLANE_MODE_LABEL}=ambient), which excludes sidecar injection`,
    );
  }
  return conflicts;
}

/** The desired labels the namespace does not carry yet. */
export function missingLabels(
  existing: Record<string, string>,
  desired: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(desired).filter(([key, value]) => existing[key] !== value),
  );
}

/** `a=1, b=2`, for messages. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}
