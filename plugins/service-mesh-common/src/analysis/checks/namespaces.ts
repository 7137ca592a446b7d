/*
 * Namespace onboarding (MESH060–063). Injection webhooks: the revision webhook matches istio.io/rev only where
 * istio-injection is absent, so the legacy label wins (analysis/revisions.ts); the injector itself skips some pods
 * (analysis/injection.ts).
 */
import { LABELS } from '../../constants';
import type { Finding } from '../../types/api';
import { compareStrings } from '../../util/guards';
import { defineCheck } from '../check';
import {
  type AnalysisContext,
  ctxFlag,
  namespaceIn,
  onboardedNamespaces,
} from '../context';
import { listNames, makeFinding } from '../finding';
import { injectorConfigFor, missingSidecars } from '../injection';
import { DEFAULT_REVISION, namespaceRevision } from '../revisions';

const MESH_LABEL_KEYS = [
  LABELS.alaudaServiceMesh,
  LABELS.revision,
  LABELS.injection,
];

/** MESH060: istio-injection=enabled together with istio.io/rev (istioctl analyze IST0123). */
export const injectionLabelsCheck = defineCheck({
  name: 'injectionLabels',
  inputs: ['namespaces'],
  codes: ['MESH060'],
  run: checkInjectionLabels,
});

function checkInjectionLabels(ctx: AnalysisContext): Finding[] {
  const byNamespace = new Map<
    string,
    Array<{ cluster: string; rev: string }>
  >();
  for (const m of ctx.withData) {
    for (const ns of m.data.namespaces) {
      const rev = ns.labels[LABELS.revision];
      if (ns.labels[LABELS.injection] === 'enabled' && rev) {
        byNamespace.set(ns.name, [
          ...(byNamespace.get(ns.name) ?? []),
          { cluster: m.name, rev },
        ]);
      }
    }
  }
  return [...byNamespace].map(([ns, hits]) =>
    makeFinding({
      code: 'MESH060',
      message: `Namespace ${ns} has both istio-injection=enabled and istio.io/rev (${hits
        .map(h => `${h.rev} in ${h.cluster}`)
        .join(', ')}): the legacy label wins and the revision is ignored.`,
      clusters: hits.map(h => h.cluster),
      resource: { kind: 'Namespace', name: ns },
      hint: `Keep the revision label and drop the legacy one: ${hits
        .map(
          h =>
            `kubectl label namespace ${ns} istio-injection- ${ctxFlag(
              h.cluster,
            )}`,
        )
        .join('; ')}`,
    }),
  );
}

/**
 * MESH061: the labels ask for a revision (or revision tag) that no istiod in the cluster runs, resolved as the
 * injection webhooks resolve it (analysis/revisions.ts).
 */
export const revisionsCheck = defineCheck({
  name: 'revisions',
  inputs: ['namespaces', 'controlPlanes', 'revisionTags'],
  codes: ['MESH061'],
  run: checkRevisions,
});

function checkRevisions(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const m of ctx.withData) {
    // A cluster without istiod is a remote: its revisions live in the primary; nothing to compare here.
    if (m.data.controlPlanes.length === 0) continue;
    const revisions = [
      ...new Set(m.data.controlPlanes.map(cp => cp.revision)),
    ].sort(compareStrings);
    const runs = `${m.name} runs istiod revision${
      revisions.length > 1 ? 's' : ''
    } ${listNames(revisions)} only`;
    const target = revisions.find(r => r !== DEFAULT_REVISION) ?? revisions[0];
    const c = ctxFlag(m.name);
    for (const ns of m.data.namespaces) {
      const resolved = namespaceRevision(m.data, ns.labels);
      if (!resolved || resolved.controlPlanes.length > 0) continue;
      const legacy = ns.labels[LABELS.injection] !== undefined;
      const asked = legacy
        ? `${LABELS.injection}=enabled (the default revision)`
        : `${LABELS.revision}=${resolved.requested}`;
      const tag = resolved.tag;
      let problem: string;
      let fix: string;
      if (tag) {
        problem = tag.revision
          ? `revision tag ${tag.tag} (webhook ${tag.webhook}) points at revision ${tag.revision}, but ${runs}`
          : `revision tag ${tag.tag} (webhook ${tag.webhook}) names no revision (its ${LABELS.revision} label is missing)`;
        fix = `istioctl tag set ${tag.tag} --revision ${target} --overwrite ${c}`;
      } else {
        problem = `no revision tag ${resolved.requested} exists and ${runs}`;
        fix = legacy
          ? `istioctl tag set default --revision ${target} ${c}`
          : `kubectl label namespace ${ns.name} ${LABELS.revision}=${target} --overwrite ${c} (or make ${resolved.requested} a tag: istioctl tag set ${resolved.requested} --revision ${target} ${c})`;
      }
      findings.push(
        makeFinding({
          code: 'MESH061',
          message: `Namespace ${ns.name} in ${m.name} has ${asked}, but ${problem}: new pods get no sidecar.`,
          clusters: [m.name],
          resource: { kind: 'Namespace', name: ns.name },
          hint: `${fix}; then restart its workloads: kubectl -n ${ns.name} rollout restart deployment ${c}`,
        }),
      );
    }
  }
  return findings;
}

/** MESH062: onboarded in some members and not in others. */
export const onboardingCheck = defineCheck({
  name: 'onboarding',
  inputs: ['namespaces'],
  codes: ['MESH062'],
  run: checkOnboardingConsistency,
});

function checkOnboardingConsistency(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const ns of onboardedNamespaces(ctx)) {
    const onboarded = ctx.withData.filter(m => namespaceIn(m, ns)?.onboarded);
    const missing = ctx.withData.filter(m => !namespaceIn(m, ns)?.onboarded);
    if (missing.length === 0 || onboarded.length === 0) continue;
    const reference = namespaceIn(onboarded[0], ns)!;
    const labels = MESH_LABEL_KEYS.filter(
      k => reference.labels[k] !== undefined,
    )
      .map(k => `${k}=${reference.labels[k]}`)
      .join(' ');
    const absent = missing.filter(m => !namespaceIn(m, ns)).map(m => m.name);
    const unlabelled = missing.filter(m => namespaceIn(m, ns)).map(m => m.name);
    const states = [
      ...(unlabelled.length
        ? [`${listNames(unlabelled)} (exists without mesh labels)`]
        : []),
      ...(absent.length
        ? [`${listNames(absent)} (no such namespace seen)`]
        : []),
    ];
    findings.push(
      makeFinding({
        code: 'MESH062',
        message: `Namespace ${ns} is onboarded in ${listNames(
          onboarded.map(m => m.name),
        )} but not in ${states.join(
          ' and ',
        )}: its workloads there run without sidecars and cannot take part in the mesh.`,
        clusters: missing.map(m => m.name),
        resource: { kind: 'Namespace', name: ns },
        hint: missing
          .map(m => {
            const create = namespaceIn(m, ns)
              ? ''
              : `kubectl create namespace ${ns} ${ctxFlag(m.name)}; `;
            return `${create}kubectl label namespace ${ns} ${
              labels || 'istio-injection=enabled'
            } ${ctxFlag(m.name)}`;
          })
          .join('; '),
      }),
    );
  }
  return findings;
}

/**
 * MESH063: pods without a sidecar in onboarded namespaces that Istio's injector would have injected
 * (analysis/injection.ts, a port of pkg/kube/inject/inject.go injectRequired): hostNetwork pods, opted-out pods
 * and pods the revision's neverInjectSelector or policy leaves alone are not missing a sidecar.
 */
export const sidecarsCheck = defineCheck({
  name: 'sidecars',
  inputs: [
    'namespaces',
    'workloads',
    'injectors',
    'controlPlanes',
    'revisionTags',
  ],
  codes: ['MESH063'],
  run: checkSidecars,
});

function checkSidecars(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const m of ctx.withData) {
    for (const w of m.data.workloads) {
      const ns = namespaceIn(m, w.namespace);
      if (!ns?.onboarded) continue;
      const revision = namespaceRevision(m.data, ns.labels)?.revision;
      const { missing: without } = missingSidecars(
        w,
        injectorConfigFor(m.data, revision),
      );
      if (without <= 0) continue;
      const restart = ['Deployment', 'StatefulSet', 'DaemonSet'].includes(
        w.kind,
      )
        ? `kubectl -n ${w.namespace} rollout restart ${w.kind.toLowerCase()}/${
            w.name
          } ${ctxFlag(m.name)}`
        : `recreate the pod${without > 1 ? 's' : ''} (kubectl -n ${
            w.namespace
          } delete pod <pod> ${ctxFlag(
            m.name,
          )} lets the owner recreate them with a sidecar)`;
      findings.push(
        makeFinding({
          code: 'MESH063',
          message: `${without} of ${w.pods} pod${w.pods > 1 ? 's' : ''} of ${
            w.kind
          } ${w.namespace}/${w.name} in ${m.name} run${
            without > 1 ? '' : 's'
          } without an istio-proxy sidecar although namespace ${
            w.namespace
          } is onboarded (created before onboarding, or injection failed).`,
          clusters: [m.name],
          resource: { kind: w.kind, namespace: w.namespace, name: w.name },
          hint: `${restart}. If a pod must stay out of the mesh, label it ${LABELS.sidecarInject}: "false".`,
        }),
      );
    }
  }
  return findings;
}

export const NAMESPACE_CHECKS = [
  injectionLabelsCheck,
  revisionsCheck,
  onboardingCheck,
  sidecarsCheck,
];
