/*
 * analyzeMesh: the snapshot → findings. A mesh is healthy only when its clusters agree, so most checks compare
 * members with each other (remote-secret matrix, root CA, mesh identity, versions, Services, policies, namespace
 * labels, mTLS modes). Members without data (never synced) are skipped; stale data is used.
 */
import type { Finding } from '../types/api';
import type { MeshSnapshot } from '../types/snapshot';
import { checkCollection } from './checks/collection';
import {
  checkIstiodReady,
  checkMeshIdentity,
  checkServiceMeshes,
  checkVersions,
} from './checks/controlPlane';
import { checkGateways } from './checks/gateways';
import { checkLocalitySettings, checkNodeLabels } from './checks/locality';
import { checkCrossNetworkMtls, checkMtlsModes } from './checks/mtls';
import {
  checkInjectionLabels,
  checkOnboardingConsistency,
  checkRevisions,
  checkSidecars,
} from './checks/namespaces';
import { checkPolicyDrift } from './checks/policyDrift';
import { checkRemoteSecrets } from './checks/remoteSecrets';
import { checkRootCa } from './checks/rootCa';
import { checkServices } from './checks/services';
import { type AnalysisContext, buildContext } from './context';
import { finalizeFindings } from './finding';
import { normalizeSnapshot } from './normalize';

export interface AnalyzeOptions {
  /** The clock for expiry checks (default: now). */
  now?: Date;
  /** MESH021 warns when the root CA expires within this many days (default 30). */
  rootCaExpiryDays?: number;
}

export type MeshCheck = (ctx: AnalysisContext) => Finding[];

/** Every check family, in code order. MESH080/081 (live traffic) are not snapshot checks. */
export const MESH_CHECKS: ReadonlyArray<{ name: string; run: MeshCheck }> = [
  { name: 'serviceMeshes', run: checkServiceMeshes },
  { name: 'istiodReady', run: checkIstiodReady },
  { name: 'versions', run: checkVersions },
  { name: 'meshIdentity', run: checkMeshIdentity },
  { name: 'remoteSecrets', run: checkRemoteSecrets },
  { name: 'rootCa', run: checkRootCa },
  { name: 'gateways', run: checkGateways },
  { name: 'nodeLabels', run: checkNodeLabels },
  { name: 'localitySettings', run: checkLocalitySettings },
  { name: 'services', run: checkServices },
  { name: 'policyDrift', run: checkPolicyDrift },
  { name: 'injectionLabels', run: checkInjectionLabels },
  { name: 'revisions', run: checkRevisions },
  { name: 'onboarding', run: checkOnboardingConsistency },
  { name: 'sidecars', run: checkSidecars },
  { name: 'mtlsModes', run: checkMtlsModes },
  { name: 'crossNetworkMtls', run: checkCrossNetworkMtls },
  { name: 'collection', run: checkCollection },
];

/**
 * Findings for the mesh, sorted by severity, code and id. Never throws: the snapshot is normalised first, and a
 * check that fails on unforeseen data is skipped so the others still report.
 */
export function analyzeMesh(
  snapshot: MeshSnapshot,
  options: AnalyzeOptions = {},
): Finding[] {
  let ctx: AnalysisContext;
  try {
    ctx = buildContext(normalizeSnapshot(snapshot), options ?? {});
  } catch {
    return [];
  }
  const findings: Finding[] = [];
  for (const check of MESH_CHECKS) {
    try {
      findings.push(...check.run(ctx));
    } catch {
      // Defensive: the tests run every check unguarded on random snapshots; here one bug must not hide the rest.
    }
  }
  return finalizeFindings(findings);
}
