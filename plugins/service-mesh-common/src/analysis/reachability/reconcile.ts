/*
 * The last step of the analysis: findings and the reachability model agree. A gateway problem that the model
 * cites for no cluster pair cuts no client off (the network is reached through another working gateway, or every
 * other cluster shares the network), so it is a warning, not an error, and says so; and the findings only the
 * model can place (MESH036: which istiod drops which hostname gateway its clients need) come from it. The model is
 * built over every cluster of the snapshot (what could not be read is unknown there), once per snapshot.
 */
import type { FindingCode } from '../../findings/registry';
import type { Finding } from '../../types/api';
import type { AnalysisContext } from '../context';
import { makeFinding } from '../finding';
import { citedFindings } from './model';

/** Codes whose errors the model must cite (else they become warnings). */
const CUTTING_CODES: ReadonlySet<FindingCode> = new Set([
  'MESH030',
  'MESH031',
  'MESH032',
  'MESH033',
  'MESH034',
  'MESH035',
]);

/** Codes the reconciliation reports from the model itself. */
export const MODEL_CODES: readonly FindingCode[] = ['MESH036'];

export function reconcileWithReachability(
  ctx: AnalysisContext,
  findings: Finding[],
): Finding[] {
  if (!ctx.multiNetwork) return findings;
  const cited = citedFindings(ctx);
  const out = findings.map(f => {
    if (f.severity !== 'error' || !CUTTING_CODES.has(f.code) || cited.has(f.id))
      return f;
    return {
      ...f,
      severity: 'warning' as const,
      message: `${f.message} No client cluster is cut off by it now: the network is reached through another working gateway, or every other cluster shares the network.`,
    };
  });
  for (const input of cited.values())
    if (MODEL_CODES.includes(input.code)) out.push(makeFinding(input));
  return out;
}
