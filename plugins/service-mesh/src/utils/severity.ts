import {
  compareFindings,
  type Finding,
  type FindingSeverity,
} from '@internal/plugin-service-mesh-common';

export const SEVERITIES: FindingSeverity[] = ['error', 'warning', 'info'];

/**
 * Sorts findings most severe first, then by code and id, without mutating the input: the backend's order
 * (compareFindings, locale-independent), so every browser lists them alike.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** The most severe severity among the findings, or undefined when there are none. */
export function worstSeverity(
  findings: Finding[],
): FindingSeverity | undefined {
  return sortFindings(findings)[0]?.severity;
}

export function countBySeverity(
  findings: Finding[],
): Record<FindingSeverity, number> {
  const counts: Record<FindingSeverity, number> = {
    error: 0,
    warning: 0,
    info: 0,
  };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
