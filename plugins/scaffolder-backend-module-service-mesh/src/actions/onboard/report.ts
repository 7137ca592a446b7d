/*
 * The action's per-cluster results and the texts built from them: the summary output, the validation error and
 * the report of a run that failed part-way.
 */
import { formatLabels } from './labels';
import { describePlan, isEmptyPlan } from './plan';
import { ValidationProblem } from './validate';
import {
  ClusterChange,
  ClusterPlan,
  ClusterResult,
  OnboardRequest,
  PEER_AUTHENTICATION_NAME,
} from './types';

export function dryRunResult(
  request: OnboardRequest,
  plan: ClusterPlan,
): ClusterResult {
  return {
    cluster: plan.cluster,
    namespace: request.namespace,
    created: plan.createNamespace,
    labelsAdded: plan.labelsToAdd,
    peerAuthentication: peerAuthenticationOutcome(
      request,
      plan.createPeerAuthentication,
    ),
    status: 'dry-run',
  };
}

export function changeResult(
  request: OnboardRequest,
  change: ClusterChange,
  status: ClusterResult['status'],
  error?: string,
): ClusterResult {
  return {
    cluster: change.cluster,
    namespace: request.namespace,
    created: change.namespaceCreated,
    labelsAdded: change.labelsAdded,
    peerAuthentication: peerAuthenticationOutcome(
      request,
      change.peerAuthenticationCreated,
    ),
    status,
    ...(error ? { error } : {}),
  };
}

function peerAuthenticationOutcome(
  request: OnboardRequest,
  created: boolean,
): ClusterResult['peerAuthentication'] {
  if (!request.strictMtls) return 'skipped';
  return created ? 'created' : 'unchanged';
}

/** `created namespace x with labels {…}, created PeerAuthentication x/default`, or `nothing`. */
export function describeChange(
  namespace: string,
  change: ClusterChange,
): string {
  const parts: string[] = [];
  const labels = formatLabels(change.labelsAdded);
  if (change.namespaceCreated)
    parts.push(`created namespace ${namespace} with labels {${labels}}`);
  else if (labels)
    parts.push(`added labels {${labels}} to namespace ${namespace}`);
  if (change.peerAuthenticationCreated) {
    parts.push(
      `created PeerAuthentication ${namespace}/${PEER_AUTHENTICATION_NAME}`,
    );
  }
  return parts.length ? parts.join(', ') : 'nothing';
}

export function dryRunSummary(
  request: OnboardRequest,
  plans: ClusterPlan[],
): string {
  const lines = plans.map(
    plan =>
      `- ${plan.cluster}: ${
        isEmptyPlan(plan)
          ? 'nothing to change'
          : `would ${describePlan(request.namespace, plan)}`
      }`,
  );
  return [
    `Dry run: nothing was changed. Onboarding namespace '${
      request.namespace
    }'${styleText(request)} would:`,
    ...lines,
  ].join('\n');
}

export function successSummary(
  request: OnboardRequest,
  results: ClusterResult[],
): string {
  const changed = results.filter(r => r.status === 'changed').length;
  const head =
    changed === 0
      ? `Namespace '${request.namespace}' was already onboarded${styleText(
          request,
        )} on every cluster; nothing changed.`
      : `Onboarded namespace '${request.namespace}'${styleText(request)} on ${
          results.length
        } cluster(s), ` + `${changed} changed:`;
  return [head, ...results.map(r => `- ${r.cluster}: ${resultText(r)}`)].join(
    '\n',
  );
}

export function failureSummary(options: {
  request: OnboardRequest;
  failedCluster: string;
  reason: string;
  results: ClusterResult[];
  /** Clusters where a rollback failed, so changes of this task remain. */
  leftChanged: string[];
}): string {
  const { request, failedCluster, reason, results, leftChanged } = options;
  return [
    `Onboarding namespace '${request.namespace}' failed on cluster ${failedCluster}: ${reason}`,
    leftChanged.length
      ? `Rollback failed on ${leftChanged.join(
          ', ',
        )}: changes of this task remain there (see below).`
      : `Every change this task had made was rolled back.`,
    ...results.map(r => `- ${r.cluster}: ${resultText(r)}`),
  ].join('\n');
}

function resultText(result: ClusterResult): string {
  const change = describeChange(result.namespace, {
    cluster: result.cluster,
    namespaceCreated: result.created,
    labelsAdded: result.labelsAdded,
    peerAuthenticationCreated: result.peerAuthentication === 'created',
  });
  switch (result.status) {
    case 'changed':
      return result.error
        ? `left changed (${change}): ${result.error}`
        : change;
    case 'unchanged':
      return result.error ?? 'already onboarded, nothing changed';
    case 'rolled-back':
      return `rolled back (had ${change})`;
    case 'failed':
      return `failed: ${result.error}`;
    default:
      return `would ${change}`;
  }
}

function styleText(request: OnboardRequest): string {
  if (request.labelStyle === 'injection') return ' (istio-injection=enabled)';
  return ` (revision ${request.revision}, label style ${request.labelStyle})`;
}

export function validationMessage(
  namespace: string,
  problems: ValidationProblem[],
): string {
  const general = problems.filter(p => !p.cluster).map(p => `- ${p.message}`);
  const byCluster = new Map<string, string[]>();
  for (const p of problems) {
    if (p.cluster)
      byCluster.set(p.cluster, [
        ...(byCluster.get(p.cluster) ?? []),
        p.message,
      ]);
  }
  const perCluster = [...byCluster].map(
    ([cluster, messages]) => `- ${cluster}: ${messages.join('; ')}`,
  );
  return [
    `Cannot onboard namespace '${namespace}' into the service mesh; nothing was changed:`,
    ...general,
    ...perCluster,
  ].join('\n');
}
