/*
 * Root-CA trust between clusters, the one rule MESH020 and the reachability model share. A workload verifies its
 * peer's certificate chain against the roots in its own istio-ca-root-cert bundle (root-cert.pem). During a root
 * rotation (Istio "plug in CA certificates", root rotation: the bundle holds the old and the new root) clusters
 * whose bundles share a root still trust each other, so bundles are compared as sets: trust when any root is in
 * both. Which root signed a cluster's workload certificates is not public data, so a shared root is the best the
 * plugin can know.
 */
import type { RootCA, RootCertificate } from '../../types/snapshot';

/** Every root of the bundle (older snapshots: only the first), upper-case fingerprints. */
export function bundleRoots(ca: RootCA): RootCertificate[] {
  const roots =
    ca.roots && ca.roots.length > 0
      ? ca.roots
      : [
          {
            fingerprint: ca.fingerprint,
            ...(ca.subject ? { subject: ca.subject } : {}),
            ...(ca.notAfter ? { notAfter: ca.notAfter } : {}),
          },
        ];
  return roots
    .filter(r => r.fingerprint)
    .map(r => ({ ...r, fingerprint: r.fingerprint.toUpperCase() }));
}

/** A bundle the analysis can use: read, parsed, with at least one root. */
export function usableBundle(ca: RootCA | undefined): ca is RootCA {
  return !!ca && !ca.error && bundleRoots(ca).length > 0;
}

/**
 * 'yes' when the bundles share a root, 'no' when they share none, 'unknown' when either is missing or unreadable.
 */
export function rootTrust(
  a: RootCA | undefined,
  b: RootCA | undefined,
): 'yes' | 'no' | 'unknown' {
  if (!usableBundle(a) || !usableBundle(b)) return 'unknown';
  const mine = new Set(bundleRoots(a).map(r => r.fingerprint));
  return bundleRoots(b).some(r => mine.has(r.fingerprint)) ? 'yes' : 'no';
}
