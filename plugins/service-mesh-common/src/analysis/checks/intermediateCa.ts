/*
 * MESH022: an intermediate CA in the public root bundle (`istio-ca-root-cert`) expires within the root-CA expiry
 * window, or has expired. Workload certificates chain to the intermediate that signed them; once it expires, peers
 * reject them even though the root is valid. Only what istiod publishes is read: an intermediate appears there when
 * it was put into root-cert.pem; the one in the `cacerts` Secret (ca-cert.pem) is secret data and is not read.
 */
import type { Finding } from '../../types/api';
import { defineCheck } from '../check';
import type { AnalysisContext } from '../context';
import { listNames, makeFinding } from '../finding';

const DAY_MS = 24 * 60 * 60 * 1000;

export const intermediateCaCheck = defineCheck({
  name: 'intermediateCa',
  inputs: ['rootCA'],
  codes: ['MESH022'],
  run: checkIntermediateCa,
});

function checkIntermediateCa(ctx: AnalysisContext): Finding[] {
  // One finding per certificate, naming every cluster whose bundle carries it.
  const byFingerprint = new Map<
    string,
    { clusters: string[]; notAfter: string; subject?: string; issuer?: string }
  >();
  for (const m of ctx.withData) {
    for (const ca of m.data.rootCA?.intermediates ?? []) {
      if (!ca.notAfter) continue;
      const known = byFingerprint.get(ca.fingerprint);
      if (known) known.clusters.push(m.name);
      else
        byFingerprint.set(ca.fingerprint, {
          clusters: [m.name],
          notAfter: ca.notAfter,
          subject: ca.subject,
          issuer: ca.issuer,
        });
    }
  }
  const findings: Finding[] = [];
  for (const [fp, ca] of byFingerprint) {
    const expiry = Date.parse(ca.notAfter);
    if (Number.isNaN(expiry)) continue;
    const daysLeft = (expiry - ctx.now.getTime()) / DAY_MS;
    if (daysLeft > ctx.rootCaExpiryDays) continue;
    const expired = daysLeft < 0;
    const name = `The intermediate CA ${ca.subject ?? fp}${
      ca.issuer ? ` (issued by ${ca.issuer})` : ''
    } in the root bundle of ${listNames(ca.clusters)}`;
    findings.push(
      makeFinding({
        code: 'MESH022',
        severity: expired ? 'error' : 'warning',
        message: expired
          ? `${name} expired on ${ca.notAfter}: workload certificates it signed are rejected by their peers.`
          : `${name} expires on ${ca.notAfter} (in ${Math.floor(
              daysLeft,
            )} days): workload certificates it signed will be rejected after that.`,
        clusters: ca.clusters,
        idParts: [fp.replace(/:/g, '').slice(0, 16)],
        hint: `Issue a new intermediate from the same root and plug it in before then: kubectl create secret generic cacerts -n istio-system --from-file=ca-cert.pem --from-file=ca-key.pem --from-file=root-cert.pem --from-file=cert-chain.pem --dry-run=client -o yaml | kubectl apply -f - --context=<cluster>; restart istiod, then the workloads (their certificates are re-issued by the new intermediate).`,
      }),
    );
  }
  return findings;
}

export const INTERMEDIATE_CA_CHECKS = [intermediateCaCheck];
