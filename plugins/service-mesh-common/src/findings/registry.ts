/*
 * The finding codes: stable identifiers that users filter, link and alert on, each defined once, in the category
 * files under definitions/. Never renumber; retire a code by leaving it out of the analysis, not by reusing it.
 * Who may add which codes is in DESIGN.md; a new code needs its definition here, the check that reports it and a
 * firing test (findings/registry.test.ts enforces all three), then `yarn generate:findings` for the docs.
 */
import type { FindingCategory, FindingDefinition } from './definition';
import { ANALYSIS_FINDINGS } from './definitions/analysis';
import { COLLECTION_FINDINGS } from './definitions/collection';
import { CONTROL_PLANE_FINDINGS } from './definitions/controlPlane';
import { GATEWAY_FINDINGS } from './definitions/gateways';
import { ISTIOD_FINDINGS } from './definitions/istiod';
import { LOCALITY_FINDINGS } from './definitions/locality';
import { MTLS_FINDINGS } from './definitions/mtls';
import { NAMESPACE_FINDINGS } from './definitions/namespaces';
import { SERVICE_AND_POLICY_FINDINGS } from './definitions/servicesAndPolicies';
import { SERVICE_ENTRY_FINDINGS } from './definitions/serviceEntries';
import { TRAFFIC_FINDINGS } from './definitions/traffic';
import { TRUST_FINDINGS } from './definitions/trust';

/** The categories in the order of the README and the docs index. */
export const FINDING_CATEGORIES = [
  CONTROL_PLANE_FINDINGS,
  TRUST_FINDINGS,
  GATEWAY_FINDINGS,
  LOCALITY_FINDINGS,
  SERVICE_AND_POLICY_FINDINGS,
  NAMESPACE_FINDINGS,
  SERVICE_ENTRY_FINDINGS,
  MTLS_FINDINGS,
  ISTIOD_FINDINGS,
  TRAFFIC_FINDINGS,
  COLLECTION_FINDINGS,
  ANALYSIS_FINDINGS,
] as const;

type CodesOf<C> = C extends FindingCategory<infer K> ? K : never;

export type FindingCode = CodesOf<(typeof FINDING_CATEGORIES)[number]>;

/** @deprecated The old name of {@link FindingDefinition}. */
export type FindingCodeInfo = FindingDefinition;

/** Every code's definition, in code order. */
export const FINDING_CODES: Readonly<Record<FindingCode, FindingDefinition>> =
  Object.fromEntries(
    FINDING_CATEGORIES.flatMap(c =>
      Object.entries<FindingDefinition>(c.codes),
    ).sort(([a], [b]) => (a < b ? -1 : Number(a > b))),
  ) as Record<FindingCode, FindingDefinition>;

export const ALL_FINDING_CODES = Object.keys(FINDING_CODES) as FindingCode[];

export function isFindingCode(value: unknown): value is FindingCode {
  return (
    typeof value === 'string' &&
    Object.prototype.hasOwnProperty.call(FINDING_CODES, value)
  );
}

/**
 * Where a code's generated docs page lives, relative to the repository root (`docs/findings/MESH010.md`). The
 * path is stable: the UI links to it.
 */
export function findingDocsPath(code: FindingCode | string): string {
  return `docs/findings/${code}.md`;
}

/** The category (README section) a code belongs to. */
export function findingCategoryOf(code: string): FindingCategory | undefined {
  return FINDING_CATEGORIES.find(c =>
    Object.prototype.hasOwnProperty.call(c.codes, code),
  );
}
