/*
 * A check of the mesh analysis, declared like Istio's analyzers (pkg/config/analysis/analyzer.go: Metadata with
 * Name and Inputs): a name, the lists of a cluster's data it reads, the codes it may report, and the function.
 * The runner (runChecks.ts) uses the declaration to leave out a cluster whose input could not be read, and the
 * tests use it to tie codes, checks and tests together (findings/registry.test.ts, checks/inputs.test.ts).
 */
import type { FindingCode } from '../findings/registry';
import type { Finding } from '../types/api';
import type { AnalysisContext } from './context';
import type { CheckInput } from './inputs';

export type { CheckInput };

export interface MeshCheck {
  /** Unique, for logs and MESH098/099 messages. */
  name: string;
  /**
   * What it reads of each cluster's data. A cluster where one of them could not be read is left out of the check
   * (`ctx.withData` and `ctx.clustersWithData` do not hold it), and MESH098 says so.
   */
  inputs: readonly CheckInput[];
  /** Every code it may report; reporting another one is a bug (MESH099). */
  codes: readonly FindingCode[];
  /**
   * The conclusion depends on every cluster (e.g. "this locality exists nowhere"): when any cluster's input is
   * unreadable, the check does not run at all instead of running on the others.
   */
  needsEveryCluster?: boolean;
  run(ctx: AnalysisContext): Finding[];
}

export function defineCheck(check: MeshCheck): MeshCheck {
  return check;
}
