import type { Finding } from '../types/api';
import type { MeshSnapshot } from '../types/snapshot';
import { NOW } from './fixtures';
import { analyzeMesh } from '../analysis/analyzeMesh';

/** Findings of one code. */
export function findingsOf(
  snapshot: MeshSnapshot,
  code: string,
  now = NOW,
): Finding[] {
  return analyzeMesh(snapshot, { now }).filter(f => f.code === code);
}

/**
 * The findings of `code` among `findings`, asserting there is at least one: a firing case. The registry's
 * meta-test (findings/registry.test.ts) requires one such call per finding code in the tests.
 */
export function expectFinding(findings: Finding[], code: string): Finding[] {
  const fired = findings.filter(f => f.code === code);
  if (fired.length === 0) {
    throw new Error(
      `expected ${code} to fire; reported: ${
        findings.map(f => f.code).join(', ') || 'nothing'
      }`,
    );
  }
  return fired;
}

/** The findings of `code` for the snapshot, asserting it fires (see {@link expectFinding}). */
export function firingFindings(
  snapshot: MeshSnapshot,
  code: string,
  now = NOW,
): Finding[] {
  return expectFinding(analyzeMesh(snapshot, { now }), code);
}

/** Every code reported, sorted (for "this and nothing else" assertions). */
export function codesOf(snapshot: MeshSnapshot, now = NOW): string[] {
  return analyzeMesh(snapshot, { now }).map(f => f.code);
}
