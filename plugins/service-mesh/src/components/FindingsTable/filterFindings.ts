import type {
  Finding,
  FindingSeverity,
} from '@internal/plugin-service-mesh-common';

export interface FindingsFilter {
  severity?: FindingSeverity;
  code?: string;
  cluster?: string;
  /** Case-insensitive match on code, title, message, hint, clusters and resource. */
  text?: string;
}

function haystack(finding: Finding): string {
  const resource = finding.resource
    ? `${finding.resource.kind} ${finding.resource.namespace ?? ''}/${
        finding.resource.name
      }`
    : '';
  return [
    finding.code,
    finding.title,
    finding.message,
    finding.hint,
    finding.clusters.join(' '),
    resource,
  ]
    .join('\n')
    .toLocaleLowerCase();
}

export function filterFindings(
  findings: Finding[],
  filter: FindingsFilter,
): Finding[] {
  const text = filter.text?.trim().toLocaleLowerCase();
  return findings.filter(
    finding =>
      (!filter.severity || finding.severity === filter.severity) &&
      (!filter.code || finding.code === filter.code) &&
      (!filter.cluster || finding.clusters.includes(filter.cluster)) &&
      (!text || haystack(finding).includes(text)),
  );
}
