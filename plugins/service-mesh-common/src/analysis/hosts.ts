/*
 * Istio host names: how a host written in a rule resolves, how two hosts match, and which of several matching
 * hosts is the most specific. Every rule that matches hosts (DestinationRule, VirtualService, and the views of
 * them) goes through these functions.
 */

/** The cluster domain Istio appends to short names (meshConfig has no other domain in the snapshot). */
export const DOMAIN_SUFFIX = 'cluster.local';

/** The FQDN of a Kubernetes Service, as Istio names it (`name.namespace.svc.cluster.local`). */
export function serviceHost(service: {
  namespace: string;
  name: string;
}): string {
  return `${service.name}.${service.namespace}.svc.${DOMAIN_SUFFIX}`;
}

/**
 * istio pilot/pkg/model/config.go ResolveShortnameToFQDN: a name without a dot is relative to the rule's
 * namespace (`reviews` in `bookinfo` → `reviews.bookinfo.svc.cluster.local`); `*`, an IP address and anything
 * with a dot are taken as written, so `reviews.bookinfo` stays `reviews.bookinfo` and names no Service.
 * Hosts are lowercased: Istio's validation admits lowercase DNS names only, and DNS is case-insensitive.
 */
export function resolveShortnameToFqdn(
  host: string,
  ruleNamespace: string,
): string {
  const h = host.trim().toLowerCase();
  // IPv4 addresses contain dots; IPv6 addresses contain colons.
  if (h === '' || h === '*' || h.includes('.') || h.includes(':')) return h;
  return ruleNamespace
    ? `${h}.${ruleNamespace}.svc.${DOMAIN_SUFFIX}`
    : `${h}.svc.${DOMAIN_SUFFIX}`;
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*');
}

/**
 * istio pkg/config/host/name.go Name.Matches: the two hosts overlap. Exact names match only themselves;
 * `*.foo.com` covers `bar.foo.com` (not `foo.com`); `*` covers everything.
 */
export function hostsMatch(a: string, b: string): boolean {
  const aWild = isWildcardHost(a);
  const bWild = isWildcardHost(b);
  if (aWild && bWild) {
    return a.length < b.length
      ? b.slice(1).endsWith(a.slice(1))
      : a.slice(1).endsWith(b.slice(1));
  }
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

/** istio pkg/config/host/name.go Name.SubsetOf: `host` is covered by `pattern` (one direction of hostsMatch). */
export function hostSubsetOf(host: string, pattern: string): boolean {
  const hWild = isWildcardHost(host);
  const pWild = isWildcardHost(pattern);
  if (hWild) {
    if (!pWild || host.length < pattern.length) return false;
    return host.slice(1).endsWith(pattern.slice(1));
  }
  if (pWild) return host.endsWith(pattern.slice(1));
  return host === pattern;
}

/**
 * istio pkg/config/host/names.go MoreSpecific: exact names before wildcards, then longer before shorter, then
 * alphabetical.
 */
export function moreSpecificHost(a: string, b: string): boolean {
  const aWild = isWildcardHost(a);
  const bWild = isWildcardHost(b);
  if (aWild !== bWild) return !aWild;
  if (a.length === b.length) return a < b;
  return a.length > b.length;
}

/**
 * istio pilot/pkg/model/config.go MostSpecificHostMatch: the exact entry for `needle` if there is one, else the
 * most specific wildcard entry covering it. `specific` is keyed by exact hosts, `wildcard` by `*…` hosts.
 */
export function mostSpecificHostMatch<V>(
  needle: string,
  specific: ReadonlyMap<string, V> | undefined,
  wildcard: ReadonlyMap<string, V> | undefined,
): { host: string; value: V } | undefined {
  if (isWildcardHost(needle)) {
    const exact = wildcard?.get(needle);
    if (exact !== undefined) return { host: needle, value: exact };
    return mostSpecificWildcardMatch(needle.slice(1), wildcard);
  }
  const exact = specific?.get(needle);
  if (exact !== undefined) return { host: needle, value: exact };
  return mostSpecificWildcardMatch(needle, wildcard);
}

function mostSpecificWildcardMatch<V>(
  needle: string,
  wildcard: ReadonlyMap<string, V> | undefined,
): { host: string; value: V } | undefined {
  let best: { host: string; value: V } | undefined;
  for (const [host, value] of wildcard ?? []) {
    if (!needle.endsWith(host.slice(1))) continue;
    if (!best || moreSpecificHost(host, best.host)) best = { host, value };
  }
  return best;
}
