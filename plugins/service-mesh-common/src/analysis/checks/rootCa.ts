/*
 * Root CA (MESH020/021): cross-cluster mTLS needs every cluster's workload certificates to chain to a root the
 * peer trusts. Bundles (istio-ca-root-cert root-cert.pem, public data) are compared as sets by the trust rule in
 * ../reachability/rootTrust.ts, which the reachability model shares: during a root rotation a bundle holds the
 * old and the new root, and clusters that share one still trust each other.
 */
import type { Finding } from '../../types/api';
import { compareStrings } from '../../util/guards';
import { defineCheck } from '../check';
import type { AnalysisContext } from '../context';
import { listNames, makeFinding } from '../finding';
import { bundleRoots, usableBundle } from '../reachability/rootTrust';
import { shortFingerprint, trustAssessment } from '../reachability/trust';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every root of every bundle, with the clusters that trust it. */
function byRoot(ctx: AnalysisContext) {
  const roots = new Map<string, { clusters: string[]; notAfter?: string }>();
  for (const m of ctx.withData) {
    const ca = m.data.rootCA;
    if (!usableBundle(ca)) continue;
    for (const root of bundleRoots(ca)) {
      const r = roots.get(root.fingerprint) ?? {
        clusters: [],
        notAfter: root.notAfter,
      };
      if (!r.clusters.includes(m.name)) r.clusters.push(m.name);
      roots.set(root.fingerprint, r);
    }
  }
  return [...roots].sort(
    ([a, ra], [b, rb]) =>
      rb.clusters.length - ra.clusters.length || compareStrings(a, b),
  );
}

export const rootCaCheck = defineCheck({
  name: 'rootCa',
  inputs: ['rootCA'],
  codes: ['MESH020', 'MESH021'],
  run: checkRootCa,
});

export const ROOT_CA_CHECKS = [rootCaCheck];

function checkRootCa(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const trust = trustAssessment(ctx);
  if (trust.finding) findings.push(makeFinding(trust.finding));
  for (const [fp, g] of byRoot(ctx)) {
    if (!g.notAfter) continue;
    const expiry = Date.parse(g.notAfter);
    if (Number.isNaN(expiry)) continue;
    const daysLeft = (expiry - ctx.now.getTime()) / DAY_MS;
    if (daysLeft > ctx.rootCaExpiryDays) continue;
    const expired = daysLeft < 0;
    findings.push(
      makeFinding({
        code: 'MESH021',
        severity: expired ? 'error' : 'warning',
        message: expired
          ? `The root CA ${shortFingerprint(fp)} of ${listNames(
              g.clusters,
            )} expired on ${
              g.notAfter
            }: new workload certificates cannot be trusted.`
          : `The root CA ${shortFingerprint(fp)} of ${listNames(
              g.clusters,
            )} expires on ${g.notAfter} (in ${Math.floor(daysLeft)} days).`,
        clusters: g.clusters,
        idParts: [fp.replace(/:/g, '').slice(0, 16)],
        hint: `Rotate the root before it expires: create a new root, put a bundle of the old and new roots in root-cert.pem of the cacerts secret on every cluster (kubectl create secret generic cacerts -n istio-system ... --dry-run=client -o yaml | kubectl apply -f - --context=<cluster>), restart istiod and workloads, then switch the intermediates to the new root (see Istio "plug in CA certificates" and root CA rotation).`,
      }),
    );
  }
  return findings;
}
