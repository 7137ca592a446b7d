/*
 * Building, naming and ordering findings. Ids are stable across refreshes (they depend only on the code, the
 * clusters and the resource) and URL-safe, so the UI can link to one finding.
 */
import { FINDING_CODES, type FindingCode } from '../findings/registry';
import type { Finding, FindingSeverity } from '../types/api';
import { compareStrings, uniqueSorted } from '../util/guards';

export interface FindingInput {
  code: FindingCode;
  /** Defaults to the code's severity. */
  severity?: FindingSeverity;
  message: string;
  clusters: string[];
  resource?: Finding['resource'];
  hint: string;
  /** Extra id parts when code + clusters + resource are not unique (e.g. which field differs). */
  idParts?: string[];
}

const MAX_ID_LENGTH = 120;

function slug(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** FNV-1a, 32 bit, hex: a short deterministic suffix for ids that had to be truncated. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function findingId(
  code: string,
  clusters: string[],
  resource?: Finding['resource'],
  extra: string[] = [],
): string {
  const parts = [
    ...clusters,
    ...(resource
      ? [resource.kind, resource.namespace ?? '', resource.name]
      : []),
    ...extra,
  ]
    .map(slug)
    .filter(Boolean);
  const id = [code, ...parts].join('-');
  if (id.length <= MAX_ID_LENGTH) return id;
  return `${id.slice(0, MAX_ID_LENGTH - 9).replace(/-+$/, '')}-${fnv1a(id)}`;
}

export function makeFinding(input: FindingInput): Finding {
  const info = FINDING_CODES[input.code];
  const clusters = uniqueSorted(input.clusters.filter(Boolean));
  return {
    id: findingId(input.code, clusters, input.resource, input.idParts),
    code: input.code,
    severity: input.severity ?? info.severity,
    title: info.title,
    message: input.message,
    clusters,
    ...(input.resource ? { resource: input.resource } : {}),
    hint: input.hint,
  };
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.id, b.id)
  );
}

/** Sorted by severity, code, id; a repeated id gets a `-2`, `-3` … suffix so ids stay unique. */
export function finalizeFindings(findings: Finding[]): Finding[] {
  const sorted = [...findings].sort(
    (a, b) => compareFindings(a, b) || compareStrings(a.message, b.message),
  );
  const counts = new Map<string, number>();
  return sorted
    .map(f => {
      const n = (counts.get(f.id) ?? 0) + 1;
      counts.set(f.id, n);
      return n === 1 ? f : { ...f, id: `${f.id}-${n}` };
    })
    .sort(compareFindings);
}

/** "a", "a and b", "a, b and c" — for messages. */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
