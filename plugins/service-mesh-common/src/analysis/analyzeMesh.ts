/*
 * analyzeMesh: the snapshot → findings. A mesh is healthy only when its clusters agree, so most checks compare
 * members with each other (remote-secret matrix, root CA, mesh identity, versions, Services, policies, namespace
 * labels, mTLS modes). Members without data (never synced) are skipped; stale data is used.
 *
 * The runner works like Istio's analysis runner (pkg/config/analysis/analyzer.go, RemoveSkipped): each check
 * declares its inputs, and a cluster whose input could not be read is left out of that check (reported as
 * MESH098) instead of being read as empty. A check that throws becomes MESH099 and is handed to `onCheckError`
 * (the backend logs it); the other checks still report. Last, the findings are reconciled with the reachability
 * model, so that no finding contradicts it.
 */
import type { FindingCode } from '../findings/registry';
import type { Finding } from '../types/api';
import type { MeshSnapshot } from '../types/snapshot';
import type { CheckInput, MeshCheck } from './check';
import { MESH_CHECKS } from './checks';
import {
  type AnalysisContext,
  buildContext,
  type ClusterData,
} from './context';
import { finalizeFindings, listNames, makeFinding } from './finding';
import { unreadableResources } from './inputs';
import { parseSnapshot } from '../types/snapshot';
import {
  MODEL_CODES,
  reconcileWithReachability,
} from './reachability/reconcile';

export { MESH_CHECKS };

export interface AnalyzeOptions {
  /** The clock for expiry checks (default: now). */
  now?: Date;
  /** MESH021 warns when the root CA expires within this many days (default 30). */
  rootCaExpiryDays?: number;
  /** MESH015 reports proxies STALE or NOT SENT for longer than this many minutes (default 5). */
  staleProxyMinutes?: number;
  /** Called for each check that failed (MESH099 reports it too); the analysis itself never logs. */
  onCheckError?: (failure: CheckFailure) => void;
}

/** A check not run for a cluster because some of its inputs could not be read there. */
export interface SkippedCheck {
  check: string;
  cluster: string;
  /** The check's inputs that were unreadable in that cluster. */
  inputs: CheckInput[];
  codes: FindingCode[];
  /** The check needs every cluster, so it did not run at all. */
  wholeMesh: boolean;
}

export interface CheckFailure {
  check: string;
  error: Error;
}

export interface MeshAnalysis {
  findings: Finding[];
  skipped: SkippedCheck[];
  failures: CheckFailure[];
}

/** The codes the runner itself reports (MESH036 from the reachability model: reachability/reconcile.ts). */
export const RUNNER_CODES: readonly FindingCode[] = [
  'MESH098',
  'MESH099',
  ...MODEL_CODES,
];

function asError(error: unknown): Error {
  // An Error from another realm (a vm context, a test sandbox) fails instanceof but is still an Error.
  return error instanceof Error ||
    Object.prototype.toString.call(error) === '[object Error]'
    ? (error as Error)
    : new Error(String(error));
}

/** The context a check sees: only the clusters where its inputs could be read. */
function narrow(
  ctx: AnalysisContext,
  check: MeshCheck,
): { view?: AnalysisContext; skipped: SkippedCheck[] } {
  const blockedInputs = (c: ClusterData) =>
    check.inputs.filter(i => c.unreadable.has(i));
  const skipped: SkippedCheck[] = [];
  for (const c of ctx.clustersWithData) {
    const inputs = blockedInputs(c);
    if (inputs.length > 0)
      skipped.push({
        check: check.name,
        cluster: c.name,
        inputs,
        codes: [...check.codes],
        wholeMesh: check.needsEveryCluster ?? false,
      });
  }
  if (skipped.length === 0) return { view: ctx, skipped };
  if (check.needsEveryCluster) return { skipped };
  const blocked = new Set(skipped.map(s => s.cluster));
  return {
    view: {
      ...ctx,
      withData: ctx.withData.filter(m => !blocked.has(m.name)),
      clustersWithData: ctx.clustersWithData.filter(c => !blocked.has(c.name)),
    },
    skipped,
  };
}

/** MESH098: one finding per cluster naming what could not be read and which checks did not run. */
function skippedFindings(
  ctx: AnalysisContext,
  skipped: SkippedCheck[],
): Finding[] {
  const byCluster = new Map<string, SkippedCheck[]>();
  for (const s of skipped)
    byCluster.set(s.cluster, [...(byCluster.get(s.cluster) ?? []), s]);
  return [...byCluster].map(([cluster, checks]) => {
    const data = ctx.clustersWithData.find(c => c.name === cluster)?.data;
    const resources = data ? unreadableResources(data.partialErrors) : [];
    const list = checks
      .map(
        s =>
          `${s.check} (${s.codes.join(', ')}${
            s.wholeMesh ? '; needs every cluster, so not run at all' : ''
          })`,
      )
      .join(', ');
    return makeFinding({
      code: 'MESH098',
      message: `In ${cluster}, ${listNames(resources)} could not be read, so ${
        checks.length === 1 ? 'one check' : `${checks.length} checks`
      } did not run there: ${list}. Problems they look for in ${cluster} are not reported.`,
      clusters: [cluster],
      hint: `Fix the read failure reported for ${cluster} (MESH092 names the RBAC rule to add), then refresh.`,
    });
  });
}

function failureFinding(failure: CheckFailure, check?: MeshCheck): Finding {
  const codes = check?.codes.length ? ` (${check.codes.join(', ')})` : '';
  return makeFinding({
    code: 'MESH099',
    message: `The check ${failure.check} failed on this snapshot: ${failure.error.message}. The problems it looks for${codes} are not reported.`,
    clusters: [],
    idParts: [failure.check],
    hint: `This is a bug in the plugin: report it with the check name (${failure.check}) and the error; the backend log has the stack trace.`,
  });
}

/** Findings plus what the runner skipped and which checks failed. Never throws. */
export function runMeshAnalysis(
  snapshot: MeshSnapshot,
  options: AnalyzeOptions = {},
  checks: readonly MeshCheck[] = MESH_CHECKS,
): MeshAnalysis {
  const failures: CheckFailure[] = [];
  let ctx: AnalysisContext;
  try {
    ctx = buildContext(parseSnapshot(snapshot), options ?? {});
  } catch (error) {
    const failure = { check: 'context', error: asError(error) };
    return {
      findings: [failureFinding(failure)],
      skipped: [],
      failures: [failure],
    };
  }
  const findings: Finding[] = [];
  const skipped: SkippedCheck[] = [];
  for (const check of checks) {
    const narrowed = narrow(ctx, check);
    skipped.push(...narrowed.skipped);
    if (!narrowed.view) continue;
    let reported: Finding[];
    try {
      reported = check.run(narrowed.view);
    } catch (error) {
      const failure = { check: check.name, error: asError(error) };
      failures.push(failure);
      findings.push(failureFinding(failure, check));
      continue;
    }
    const undeclared = [
      ...new Set(
        reported.map(f => f.code).filter(c => !check.codes.includes(c)),
      ),
    ];
    if (undeclared.length > 0) {
      const failure = {
        check: check.name,
        error: new Error(
          `reported ${undeclared.join(', ')}, which it does not declare`,
        ),
      };
      failures.push(failure);
      findings.push(failureFinding(failure, check));
    }
    findings.push(...reported);
  }
  findings.push(...skippedFindings(ctx, skipped));
  let reconciled = findings;
  try {
    reconciled = reconcileWithReachability(ctx, findings);
  } catch (error) {
    const failure = { check: 'reachability', error: asError(error) };
    failures.push(failure);
    reconciled = [...findings, failureFinding(failure)];
  }
  return { findings: finalizeFindings(reconciled), skipped, failures };
}

/**
 * Findings for the mesh, sorted by severity, code and id. Never throws: the snapshot is parsed first (types/snapshot.ts), and a
 * check that fails on unforeseen data is reported (MESH099, `onCheckError`) so the others still report.
 */
export function analyzeMesh(
  snapshot: MeshSnapshot,
  options: AnalyzeOptions = {},
): Finding[] {
  const analysis = runMeshAnalysis(snapshot, options);
  for (const failure of analysis.failures) {
    try {
      options?.onCheckError?.(failure);
    } catch {
      // The caller's logger failing must not lose the findings; MESH099 still reports the failure.
    }
  }
  return analysis.findings;
}
