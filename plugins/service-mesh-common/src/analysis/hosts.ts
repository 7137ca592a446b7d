/*
 * Istio host names: how a DestinationRule `host` resolves and which rule is the most specific for a service.
 */
import { ISTIO_SYSTEM_NAMESPACE } from '../constants';
import type { PolicyResource } from '../types/snapshot';
import {
  asArray,
  asRecord,
  asString,
  compareStrings,
  isRecord,
} from '../util/guards';

export const DOMAIN_SUFFIX = 'cluster.local';

export function serviceHost(service: {
  namespace: string;
  name: string;
}): string {
  return `${service.name}.${service.namespace}.svc.${DOMAIN_SUFFIX}`;
}

/**
 * Istio's ResolveShortnameToFQDN: a name without dots is relative to the rule's namespace; anything with a dot
 * (or `*`) is taken as written.
 */
export function resolveHost(host: string, ruleNamespace: string): string {
  if (host === '*' || host.includes('.')) return host;
  return `${host}.${ruleNamespace}.svc.${DOMAIN_SUFFIX}`;
}

/** How specifically `pattern` matches `host`: undefined = no match; exact beats any wildcard, longer beats shorter. */
export function hostMatchScore(
  pattern: string,
  host: string,
): number | undefined {
  if (pattern === host) return Number.MAX_SAFE_INTEGER;
  if (pattern === '*') return 0;
  if (pattern.startsWith('*')) {
    const suffix = pattern.slice(1);
    return host.endsWith(suffix) ? suffix.length : undefined;
  }
  return undefined;
}

function exportedToAll(spec: Record<string, unknown>): boolean {
  const exportTo = asArray(spec.exportTo);
  return exportTo.length === 0 || exportTo.includes('*');
}

/**
 * The DestinationRule Istio applies to a service host: the most specific match in the service's namespace, then
 * in the root namespace, then (exported to every namespace) anywhere else. Rules with a `workloadSelector` apply
 * to some clients only and are skipped. Ties go to the first name (Istio takes the oldest; creation time is not
 * in the snapshot). Istio does not merge a wildcard rule into a more specific one: the winner applies whole.
 *
 * Returns a lookup function that indexes the rules once, for checks that resolve many services.
 */
export function destinationRuleResolver(
  rules: PolicyResource[],
  rootNamespace = ISTIO_SYSTEM_NAMESPACE,
): (service: {
  namespace: string;
  name: string;
}) => PolicyResource | undefined {
  const exact = new Map<string, PolicyResource[]>();
  const wildcards: Array<{ rule: PolicyResource; pattern: string }> = [];
  for (const rule of asArray(rules) as PolicyResource[]) {
    if (!isRecord(rule?.spec) || typeof rule.namespace !== 'string') continue;
    if (isRecord(rule.spec.workloadSelector)) continue;
    const ruleHost = asString(rule.spec.host);
    if (!ruleHost) continue;
    const pattern = resolveHost(ruleHost, rule.namespace);
    if (pattern.startsWith('*')) wildcards.push({ rule, pattern });
    else exact.set(pattern, [...(exact.get(pattern) ?? []), rule]);
  }
  return service => {
    const host = serviceHost(service);
    const scored: Array<{ rule: PolicyResource; score: number }> = (
      exact.get(host) ?? []
    ).map(rule => ({ rule, score: Number.MAX_SAFE_INTEGER }));
    for (const { rule, pattern } of wildcards) {
      const score = hostMatchScore(pattern, host);
      if (score !== undefined) scored.push({ rule, score });
    }
    const best = (candidates: typeof scored) =>
      candidates.sort(
        (a, b) => b.score - a.score || compareStrings(a.rule.name, b.rule.name),
      )[0]?.rule;
    return (
      best(scored.filter(s => s.rule.namespace === service.namespace)) ??
      best(scored.filter(s => s.rule.namespace === rootNamespace)) ??
      best(scored.filter(s => exportedToAll(asRecord(s.rule.spec))))
    );
  };
}

export function selectDestinationRule(
  rules: PolicyResource[],
  service: { namespace: string; name: string },
  rootNamespace = ISTIO_SYSTEM_NAMESPACE,
): PolicyResource | undefined {
  return destinationRuleResolver(rules, rootNamespace)(service);
}
