/*
 * MESH020 from the trust rule (rootTrust.ts): which member pairs share no root, and the one finding that reports
 * them. The check emits it; the model cites it for every pair it names.
 */
import { compareStrings } from '../../util/guards';
import type { AnalysisContext } from '../context';
import { type FindingInput, listNames } from '../finding';
import type { RootCertificate } from '../../types/snapshot';
import { bundleRoots, rootTrust, usableBundle } from './rootTrust';

export function shortFingerprint(fp: string): string {
  return fp.length > 23 ? `${fp.slice(0, 11)}…${fp.slice(-8)}` : fp;
}

export interface TrustAssessment {
  /** `from|to` of every ordered member pair whose bundles share no root. */
  untrusted: Set<string>;
  finding?: FindingInput;
}

const memo = new WeakMap<AnalysisContext, TrustAssessment>();

/** "cluster1 and cluster2 use AA:BB…", "cluster3 trusts AA:BB… + 11:22…" (a bundle of several roots). */
function groupLabel(clusters: string[], roots: RootCertificate[]): string {
  const text = roots.map(r => shortFingerprint(r.fingerprint)).join(' + ');
  const plural = clusters.length > 1;
  const verb = roots.length > 1 ? 'trust' : 'use';
  return `${listNames(clusters)} ${plural ? verb : `${verb}s`} ${text}${
    roots.length === 1 && roots[0].subject ? ` (${roots[0].subject})` : ''
  }`;
}

export function trustAssessment(ctx: AnalysisContext): TrustAssessment {
  const known = memo.get(ctx);
  if (known) return known;
  const members = ctx.withData.filter(
    m => !m.unreadable.has('rootCA') && usableBundle(m.data.rootCA),
  );
  const untrusted = new Set<string>();
  const involved = new Set<string>();
  const pairs: string[] = [];
  for (const a of members) {
    for (const b of members) {
      if (a.name === b.name) continue;
      if (rootTrust(a.data.rootCA, b.data.rootCA) !== 'no') continue;
      untrusted.add(`${a.name}|${b.name}`);
      involved.add(a.name);
      involved.add(b.name);
      if (compareStrings(a.name, b.name) < 0)
        pairs.push(`${a.name} ↔ ${b.name}`);
    }
  }
  let finding: FindingInput | undefined;
  if (untrusted.size > 0) {
    // Clusters with the same bundle, largest group first: the reference the hint points at.
    const groups = new Map<
      string,
      { clusters: string[]; roots: RootCertificate[] }
    >();
    for (const m of members) {
      const roots = bundleRoots(m.data.rootCA!);
      const k = roots
        .map(r => r.fingerprint)
        .sort()
        .join(',');
      const g = groups.get(k) ?? { clusters: [], roots };
      g.clusters.push(m.name);
      groups.set(k, g);
    }
    const sorted = [...groups.entries()]
      .sort(
        ([ka, a], [kb, b]) =>
          b.clusters.length - a.clusters.length || compareStrings(ka, kb),
      )
      .map(([, g]) => g);
    const majority = sorted[0].clusters;
    const odd = [...involved].filter(n => !majority.includes(n));
    finding = {
      code: 'MESH020',
      message: `Root CA differs across clusters: ${sorted
        .map(g => groupLabel(g.clusters, g.roots))
        .join('; ')}. ${
        sorted.length > 2 || sorted.some(g => g.roots.length > 1)
          ? `${listNames(pairs)} share no root, so their`
          : 'Their'
      } cross-cluster mTLS handshakes fail (CERTIFICATE_VERIFY_FAILED, 503 UF/URX).`,
      clusters: [...involved],
      hint: `Plug in intermediate CAs signed by one shared root on ${listNames(
        odd.length > 0 ? odd : [...involved],
      )} (as on ${listNames(
        majority,
      )}): kubectl create secret generic cacerts -n istio-system --from-file=ca-cert.pem --from-file=ca-key.pem --from-file=root-cert.pem --from-file=cert-chain.pem --context=<cluster>; then kubectl -n istio-system rollout restart deployment -l app=istiod --context=<cluster> and restart the workloads. During a root rotation, put both roots in root-cert.pem on every cluster first.`,
    };
  }
  const result = { untrusted, ...(finding ? { finding } : {}) };
  memo.set(ctx, result);
  return result;
}
