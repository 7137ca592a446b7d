/*
 * Control plane checks: ServiceMesh status (MESH001), istiod readiness per revision in use (MESH002), and what
 * the primaries must agree on to form one mesh: Istio version (MESH003), meshID and trust domain (MESH004).
 */
import type { Finding } from '../../types/api';
import type { ControlPlane } from '../../types/snapshot';
import { compareStrings, uniqueSorted } from '../../util/guards';
import { defineCheck } from '../check';
import { type AnalysisContext, ctxFlag, type MemberData } from '../context';
import { listNames, makeFinding } from '../finding';
import { namespaceRevision } from '../revisions';

/** MESH001: ServiceMesh (asm.alauda.io) not Deployed, or version ≠ desiredVersion (upgrade in progress). */
export const serviceMeshesCheck = defineCheck({
  name: 'serviceMeshes',
  inputs: ['serviceMeshes'],
  codes: ['MESH001'],
  run: checkServiceMeshes,
});

function checkServiceMeshes(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  // The management cluster holds them (or every cluster, without one).
  for (const holder of ctx.clustersWithData) {
    for (const sm of holder.data.serviceMeshes) {
      const key = `${sm.namespace}/${sm.name}/${sm.cluster}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const phase = sm.phase;
      const upgrading =
        sm.version !== undefined &&
        sm.desiredVersion !== undefined &&
        sm.version !== sm.desiredVersion;
      const deployed =
        phase === undefined || phase.toLowerCase() === 'deployed';
      const failed = phase !== undefined && /fail|error/i.test(phase);
      // No status.phase yet is not reported: the operator has not written status, and nothing is known to be wrong.
      if (deployed && !upgrading) continue;
      const resource = {
        kind: 'ServiceMesh',
        namespace: sm.namespace,
        name: sm.name,
      };
      const where = `ServiceMesh ${sm.namespace}/${sm.name} (cluster ${sm.cluster}, held by ${holder.name})`;
      const inspect = `kubectl -n ${sm.namespace} get servicemesh ${
        sm.name
      } -o yaml ${ctxFlag(holder.name)}`;
      if (upgrading && !failed) {
        findings.push(
          makeFinding({
            code: 'MESH001',
            severity: 'warning',
            message: `${where} is upgrading: version ${sm.version}, desired ${
              sm.desiredVersion
            }${phase ? ` (phase ${phase})` : ''}. Upgrade in progress.`,
            clusters: [sm.cluster],
            resource,
            hint: `Wait until PHASE is Deployed and VERSION equals DESIREDVERSION: kubectl -n ${
              sm.namespace
            } get servicemesh ${sm.name} -w ${ctxFlag(
              holder.name,
            )}. If it stalls, read status.conditions (${inspect}) and the operator logs: kubectl -n istio-system logs deploy/asm-operator ${ctxFlag(
              sm.cluster,
            )}`,
          }),
        );
      } else {
        findings.push(
          makeFinding({
            code: 'MESH001',
            message: `${where} is in phase ${phase ?? 'unknown'}, not Deployed${
              sm.synthesisPhase ? ` (synthesis phase ${sm.synthesisPhase})` : ''
            }${
              upgrading
                ? `, during an upgrade from ${sm.version} to ${sm.desiredVersion}`
                : ''
            }.`,
            clusters: [sm.cluster],
            resource,
            hint: `Read status.conditions: ${inspect}; then the operator logs: kubectl -n istio-system logs deploy/asm-operator ${ctxFlag(
              sm.cluster,
            )}. Fix the reported cause and let the operator reconcile.`,
          }),
        );
      }
    }
  }
  return findings;
}

/** MESH002: a revision used by onboarded namespaces whose istiod has no ready replica. */
export const istiodReadyCheck = defineCheck({
  name: 'istiodReady',
  inputs: ['namespaces', 'controlPlanes', 'revisionTags'],
  codes: ['MESH002'],
  run: checkIstiodReady,
});

function checkIstiodReady(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const m of ctx.withData) {
    // Namespaces by the revision that injects them (a tag resolved to its revision).
    const inUse = new Map<
      string,
      { planes: ControlPlane[]; namespaces: string[]; via: Set<string> }
    >();
    for (const ns of m.data.namespaces) {
      if (!ns.onboarded) continue;
      const resolved = namespaceRevision(m.data, ns.labels);
      // No revision asked for, or none runs here (MESH061).
      if (!resolved?.revision || resolved.controlPlanes.length === 0) continue;
      const entry = inUse.get(resolved.revision) ?? {
        planes: resolved.controlPlanes,
        namespaces: [],
        via: new Set<string>(),
      };
      entry.namespaces.push(ns.name);
      if (resolved.tag) entry.via.add(resolved.tag.tag);
      inUse.set(resolved.revision, entry);
    }
    for (const [rev, { planes: cps, namespaces, via }] of [...inUse].sort(
      ([a], [b]) => compareStrings(a, b),
    )) {
      if (cps.some(cp => cp.readyReplicas > 0)) continue;
      const cp = cps[0];
      findings.push(
        makeFinding({
          code: 'MESH002',
          message: `istiod revision ${rev}${
            via.size > 0 ? ` (through tag ${listNames([...via].sort())})` : ''
          } in ${m.name} (${cp.namespace}/${cp.deployment}) has 0/${
            cp.desiredReplicas
          } ready replicas, and namespace${
            namespaces.length > 1 ? 's' : ''
          } ${listNames(
            namespaces.sort(),
          )} use it: new pods get no sidecar and running proxies get no configuration updates.`,
          clusters: [m.name],
          resource: {
            kind: 'Deployment',
            namespace: cp.namespace,
            name: cp.deployment,
          },
          hint: `kubectl -n ${cp.namespace} describe deployment/${
            cp.deployment
          } ${ctxFlag(m.name)}; kubectl -n ${cp.namespace} logs deployment/${
            cp.deployment
          } ${ctxFlag(m.name)}; after fixing the cause: kubectl -n ${
            cp.namespace
          } rollout status deployment/${cp.deployment} ${ctxFlag(m.name)}`,
        }),
      );
    }
  }
  return findings;
}

/** `v1.22.4+2024…`, `1.22.4-distroless` → `1.22.4`: build metadata and image flavours are not versions. */
export function normalizeIstioVersion(version: string): string {
  return version
    .trim()
    .replace(/^v/i, '')
    .replace(/\+.*$/, '')
    .replace(/-distroless$/, '');
}

/** Numeric-aware order of dotted versions (1.9 < 1.22). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const diff =
      !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : compareStrings(x, y);
    if (diff !== 0) return diff;
  }
  return 0;
}

function valuesByCluster(
  members: MemberData[],
  values: (m: MemberData) => Array<string | undefined>,
): Map<string, string[]> {
  const byValue = new Map<string, string[]>();
  for (const m of members) {
    for (const v of uniqueSorted(values(m).filter((x): x is string => !!x))) {
      byValue.set(v, [...(byValue.get(v) ?? []), m.name]);
    }
  }
  return byValue;
}

function describeValues(byValue: Map<string, string[]>): string {
  return [...byValue]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([v, clusters]) => `${v} in ${listNames(clusters)}`)
    .join('; ');
}

/** MESH003: control planes run different Istio versions. */
export const versionsCheck = defineCheck({
  name: 'versions',
  inputs: ['controlPlanes'],
  codes: ['MESH003'],
  run: checkVersions,
});

function checkVersions(ctx: AnalysisContext): Finding[] {
  const byVersion = valuesByCluster(ctx.withData, m =>
    m.data.controlPlanes.map(cp =>
      cp.version ? normalizeIstioVersion(cp.version) : undefined,
    ),
  );
  if (byVersion.size <= 1) return [];
  const versions = [...byVersion.keys()].sort(compareVersions);
  const target = versions[versions.length - 1];
  return [
    makeFinding({
      code: 'MESH003',
      message: `Istio versions differ across the mesh: ${describeValues(
        byVersion,
      )}.`,
      clusters: [...byVersion.values()].flat(),
      hint: `Bring every cluster to one version (e.g. ${target}), one cluster at a time: install the new revision (istioctl install --set revision=<rev> --context=<cluster>), move namespaces (kubectl label namespace <ns> istio.io/rev=<rev> --overwrite --context=<cluster>), restart workloads, then remove the old revision. For Alauda Service Mesh, set spec.istioVersion on each ServiceMesh.`,
    }),
  ];
}

/** MESH004: meshID or trust domain differs (Istio's default trust domain is cluster.local). */
export const meshIdentityCheck = defineCheck({
  name: 'meshIdentity',
  inputs: ['meshConfigs'],
  codes: ['MESH004'],
  run: checkMeshIdentity,
});

function checkMeshIdentity(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const withConfig = ctx.withData.filter(m => m.data.meshConfigs.length > 0);
  const byMeshId = valuesByCluster(withConfig, m =>
    m.data.meshConfigs.map(c => c.meshId),
  );
  if (byMeshId.size > 1) {
    findings.push(
      makeFinding({
        code: 'MESH004',
        message: `meshID differs across clusters: ${describeValues(
          byMeshId,
        )}. They do not form one mesh.`,
        clusters: [...byMeshId.values()].flat(),
        idParts: ['meshid'],
        hint: `Set the same meshID everywhere (values.global.meshID, mesh ConfigMap istio[-<rev>] in istio-system), e.g. istioctl install --set values.global.meshID=<meshID> --context=<cluster>, then restart istiod and workloads.`,
      }),
    );
  }
  const byTrustDomain = valuesByCluster(withConfig, m =>
    m.data.meshConfigs.map(c => c.trustDomain ?? 'cluster.local'),
  );
  if (byTrustDomain.size > 1) {
    findings.push(
      makeFinding({
        code: 'MESH004',
        message: `Trust domain differs across clusters: ${describeValues(
          byTrustDomain,
        )}. Workload identities (spiffe://<trust domain>/…) of one cluster are not accepted by the others.`,
        clusters: [...byTrustDomain.values()].flat(),
        idParts: ['trustdomain'],
        hint: `Set the same meshConfig.trustDomain on every cluster (istioctl install --set meshConfig.trustDomain=<domain> --context=<cluster>), or list the others in meshConfig.trustDomainAliases during a migration.`,
      }),
    );
  }
  return findings;
}

export const CONTROL_PLANE_CHECKS = [
  serviceMeshesCheck,
  istiodReadyCheck,
  versionsCheck,
  meshIdentityCheck,
];
