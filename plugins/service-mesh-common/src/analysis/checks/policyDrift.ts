/*
 * Istio config drift (MESH052). Remote secrets give istiod another cluster's Services, endpoints and pods, but
 * never its DestinationRules, VirtualServices or PeerAuthentications: every primary applies its own copy, so
 * the copies must agree or the same client behaves differently per cluster.
 */
import { ISTIO_SYSTEM_NAMESPACE } from '../../constants';
import type { Finding } from '../../types/api';
import type { PolicyResource } from '../../types/snapshot';
import { compareStrings, isRecord, stableStringify } from '../../util/guards';
import { type CheckInput, defineCheck, type MeshCheck } from '../check';
import { type AnalysisContext, isOnboarded } from '../context';
import { listNames, makeFinding } from '../finding';

/** Up to `limit` paths where two specs differ (e.g. `trafficPolicy.loadBalancer.localityLbSetting`). */
export function diffPaths(
  a: unknown,
  b: unknown,
  limit = 3,
  path = 'spec',
  depth = 0,
): string[] {
  if (stableStringify(a) === stableStringify(b)) return [];
  if (depth > 20 || !isRecord(a) || !isRecord(b)) return [path];
  const out: string[] = [];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(
    compareStrings,
  );
  for (const k of keys) {
    if (out.length >= limit) break;
    out.push(
      ...diffPaths(a[k], b[k], limit - out.length, `${path}.${k}`, depth + 1),
    );
  }
  return out;
}

interface PolicyKind {
  kind: PolicyResource['kind'];
  /** The kubectl resource name, for hints. */
  resource: string;
  input:
    | 'destinationRules'
    | 'virtualServices'
    | 'peerAuthentications'
    | 'authorizationPolicies'
    | 'sidecars'
    | 'serviceEntries';
  /** MESH053 for AuthorizationPolicies: the same workload is allowed or denied differently per cluster. */
  code?: 'MESH053';
  /** What a difference means, after the generic message. */
  consequence?: string;
}

/** One check per kind: a cluster whose VirtualServices could not be read still compares its DestinationRules. */
function driftCheck(policy: PolicyKind): MeshCheck {
  const inputs: CheckInput[] = [policy.input, 'namespaces'];
  return defineCheck({
    name: `${policy.kind[0].toLowerCase()}${policy.kind.slice(1)}Drift`,
    inputs,
    codes: [policy.code ?? 'MESH052'],
    run: ctx => checkPolicyDrift(ctx, policy),
  });
}

export const POLICY_DRIFT_CHECKS = [
  driftCheck({
    kind: 'DestinationRule',
    resource: 'destinationrule',
    input: 'destinationRules',
  }),
  driftCheck({
    kind: 'VirtualService',
    resource: 'virtualservice',
    input: 'virtualServices',
  }),
  driftCheck({
    kind: 'PeerAuthentication',
    resource: 'peerauthentication',
    input: 'peerAuthentications',
  }),
  // security/v1 AuthorizationPolicy: enforced by each cluster's proxies from their own istiod's copy, so a
  // request to the same workload is allowed in one cluster and denied in another (istio.io/latest/docs/reference/
  // config/security/authorization-policy/; multicluster: config is per primary).
  driftCheck({
    kind: 'AuthorizationPolicy',
    resource: 'authorizationpolicy',
    input: 'authorizationPolicies',
    code: 'MESH053',
    consequence:
      'The same request to the same workload is allowed in one cluster and denied in another, depending on which cluster serves it.',
  }),
  // A Sidecar's egress hosts decide which services a namespace's proxies know at all; a ServiceEntry adds hosts
  // (with MESH_INTERNAL endpoints, mesh workloads): both per primary.
  driftCheck({ kind: 'Sidecar', resource: 'sidecar', input: 'sidecars' }),
  driftCheck({
    kind: 'ServiceEntry',
    resource: 'serviceentry',
    input: 'serviceEntries',
  }),
];

function checkPolicyDrift(
  ctx: AnalysisContext,
  { kind, resource: kubectlKind, input, code, consequence }: PolicyKind,
): Finding[] {
  const findings: Finding[] = [];
  if (ctx.withData.length < 2) return findings;
  {
    const list = (d: AnalysisContext['withData'][number]['data']) => d[input];
    const copies = new Map<string, Map<string, PolicyResource>>();
    for (const m of ctx.withData) {
      for (const p of list(m.data)) {
        const key = `${p.namespace}/${p.name}`;
        const byCluster = copies.get(key) ?? new Map<string, PolicyResource>();
        if (!byCluster.has(m.name)) byCluster.set(m.name, p);
        copies.set(key, byCluster);
      }
    }
    for (const [key, byCluster] of [...copies].sort(([a], [b]) =>
      compareStrings(a, b),
    )) {
      const sample = [...byCluster.values()][0];
      const { namespace, name } = sample;
      // Missing only counts where the namespace is in the mesh (or is the root namespace); a namespace that is
      // not onboarded in a cluster is reported as MESH062.
      const missing = ctx.withData
        .filter(m => !byCluster.has(m.name))
        .filter(
          m =>
            namespace === ISTIO_SYSTEM_NAMESPACE || isOnboarded(m, namespace),
        )
        .map(m => m.name);
      const variants = new Map<string, { clusters: string[]; spec: unknown }>();
      for (const [cluster, p] of byCluster) {
        const s = stableStringify(p.spec);
        const v = variants.get(s) ?? { clusters: [], spec: p.spec };
        v.clusters.push(cluster);
        variants.set(s, v);
      }
      if (variants.size <= 1 && missing.length === 0) continue;
      const ordered = [...variants.values()]
        .map(v => ({ ...v, clusters: v.clusters.sort(compareStrings) }))
        .sort(
          (a, b) =>
            b.clusters.length - a.clusters.length ||
            compareStrings(a.clusters[0], b.clusters[0]),
        );
      const reference = ordered[0];
      const parts: string[] = [];
      if (ordered.length > 1) {
        const others = ordered.slice(1).map(v => {
          const paths = diffPaths(reference.spec, v.spec);
          return `${listNames(v.clusters)} differ${
            v.clusters.length > 1 ? '' : 's'
          } at ${paths.join(', ')}`;
        });
        parts.push(
          `differs across clusters: ${listNames(reference.clusters)} ${
            reference.clusters.length > 1 ? 'agree' : 'has one version'
          }; ${others.join('; ')}`,
        );
      }
      if (missing.length > 0) {
        parts.push(
          `exists in ${listNames(
            [...byCluster.keys()].sort(compareStrings),
          )} but not in ${listNames(missing)}`,
        );
      }
      const all = [...byCluster.keys(), ...missing];
      findings.push(
        makeFinding({
          code: code ?? 'MESH052',
          message: `${kind} ${key} ${parts.join(
            '; it ',
          )}. Primaries do not share Istio config: each cluster's istiod applies its own copy.${
            consequence ? ` ${consequence}` : ''
          }`,
          clusters: all,
          resource: { kind, namespace, name },
          hint: `Keep one manifest (e.g. in Git; ${listNames(
            reference.clusters,
          )} ${
            reference.clusters.length > 1 ? 'hold' : 'holds'
          } the most common version) and apply it to every cluster: for c in ${all
            .sort(compareStrings)
            .join(
              ' ',
            )}; do kubectl apply -n ${namespace} -f ${kubectlKind}-${name}.yaml --context=$c; done`,
        }),
      );
    }
  }
  return findings;
}
