/*
 * Root CA (MESH020/021): cross-cluster mTLS needs every cluster's workload certificates to chain to one root.
 * Compared by the SHA-256 fingerprint of istio-ca-root-cert's root-cert.pem (public data).
 */
import type { Finding } from '../../types/api';
import { compareStrings } from '../../util/guards';
import { defineCheck } from '../check';
import type { AnalysisContext } from '../context';
import { listNames, makeFinding } from '../finding';

const DAY_MS = 24 * 60 * 60 * 1000;

function shortFingerprint(fp: string): string {
  return fp.length > 23 ? `${fp.slice(0, 11)}…${fp.slice(-8)}` : fp;
}

function byFingerprint(ctx: AnalysisContext) {
  const groups = new Map<
    string,
    { clusters: string[]; notAfter?: string; subject?: string }
  >();
  for (const m of ctx.withData) {
    const ca = m.data.rootCA;
    if (!ca || ca.error) continue;
    const fp = ca.fingerprint.toUpperCase();
    const g = groups.get(fp) ?? {
      clusters: [],
      notAfter: ca.notAfter,
      subject: ca.subject,
    };
    g.clusters.push(m.name);
    groups.set(fp, g);
  }
  return [...groups].sort(
    ([a, ga], [b, gb]) =>
      gb.clusters.length - ga.clusters.length || compareStrings(a, b),
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
  const groups = byFingerprint(ctx);
  if (groups.length > 1) {
    const [, majority] = groups[0];
    const others = groups.slice(1).flatMap(([, g]) => g.clusters);
    findings.push(
      makeFinding({
        code: 'MESH020',
        message: `Root CA differs across clusters: ${groups
          .map(
            ([fp, g]) =>
              `${listNames(g.clusters)} ${
                g.clusters.length > 1 ? 'use' : 'uses'
              } ${shortFingerprint(fp)}${g.subject ? ` (${g.subject})` : ''}`,
          )
          .join(
            '; ',
          )}. Cross-cluster mTLS handshakes fail (CERTIFICATE_VERIFY_FAILED, 503 UF/URX).`,
        clusters: groups.flatMap(([, g]) => g.clusters),
        hint: `Plug in intermediate CAs signed by one shared root on ${listNames(
          others,
        )} (as on ${listNames(
          majority.clusters,
        )}): kubectl create secret generic cacerts -n istio-system --from-file=ca-cert.pem --from-file=ca-key.pem --from-file=root-cert.pem --from-file=cert-chain.pem --context=<cluster>; then kubectl -n istio-system rollout restart deployment -l app=istiod --context=<cluster> and restart the workloads.`,
      }),
    );
  }
  for (const [fp, g] of groups) {
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
